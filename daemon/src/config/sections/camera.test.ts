import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/ConfigError.js';
import { parseConfig } from '../loadConfig.js';
import { assertProductionCamera } from './camera.js';

describe('assertProductionCamera', () => {
  it('accepts a full pin', () => {
    expect(() =>
      assertProductionCamera(
        parseConfig({ camera: { pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' } } })
          .camera,
      ),
    ).not.toThrow();
  });

  it('refuses a missing pin, and a pin without the serial, naming the key', () => {
    expect(() => assertProductionCamera(parseConfig({}).camera, 'kycd.yaml')).toThrow(ConfigError);
    expect(() => assertProductionCamera(parseConfig({}).camera, 'kycd.yaml')).toThrow(
      /^kycd\.yaml: key "camera\.pin":/,
    );
    const noSerial = parseConfig({
      camera: { pin: { vendorId: '046d', productId: '085b' } },
    }).camera;
    expect(() => assertProductionCamera(noSerial)).toThrow(
      expect.objectContaining({
        key: '/camera/pin/serial',
        message: expect.stringMatching(/key "camera\.pin\.serial"/),
      }),
    );
  });
});
