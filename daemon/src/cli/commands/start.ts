import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { KycdConfig } from '../../config/KycdConfig.js';
import { parseConfig } from '../../config/loadConfig.js';
import { assertProductionCamera } from '../../config/sections/camera.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { createLogger } from '../../logging/createLogger.js';
import type { CliContext } from '../CliContext.js';

interface StartOptions {
  sim?: boolean;
  host?: string;
  port?: number;
}

/** `kycd start`: run the daemon until SIGINT/SIGTERM. */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the daemon (add --sim for the hardware simulator)')
    .option('--sim', 'use the hardware simulator instead of real cameras and readers')
    .option('--host <host>', 'address to bind (default from config: 127.0.0.1)')
    .option('--port <port>', 'TCP port (default from config: 7450)', parsePort)
    .action(async (options: StartOptions, command: Command) => {
      const file = await ctx.config(command);
      const config = parseConfig({
        ...file,
        mode: startMode(file, options.sim === true, ctx.configPath(command)),
        server: {
          ...file.server,
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.port === undefined ? {} : { port: options.port }),
        },
      });
      if (config.mode === 'production')
        assertProductionCamera(config.camera, ctx.configPath(command));
      const dataDir = ctx.dataDir(command);
      const logger = createLogger({ level: config.logLevel });
      if (config.mode === 'production' && config.camera.allowVirtual)
        logger.warn(
          'camera.allowVirtual is ignored in production mode: virtual cameras are always refused',
        );
      // Loaded lazily: the other commands must not pay for (or depend on) the daemon's drivers.
      const { startDaemon } = await import('../../daemon/startDaemon.js');
      const wiring =
        config.mode === 'simulator'
          ? await (await import('../../wiring/simulatorWiring.js')).simulatorWiring(config)
          : await (await import('../../wiring/productionWiring.js')).productionWiring(config);
      const daemon = await startDaemon({ config, dataDir, logger, ...wiring });

      const lines = [
        `kycd ${config.mode === 'simulator' ? '(simulator) ' : ''}listening on ${daemon.url}`,
        `data directory: ${dataDir}`,
      ];
      if (config.mode === 'simulator') {
        const dev = 'simulator-dev';
        daemon.store.terminals.revoke(dev);
        const { token } = daemon.store.terminals.pair(dev);
        lines.push(
          `development pairing token (terminal "${dev}", valid until the next start): ${token}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\nPress Ctrl-C to stop.\n`);

      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        stopping = true;
        logger.info({ signal }, 'shutting down');
        // close() drains requests, releases the wiring and closes the store, in that order.
        void daemon.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err: String(err) }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

/**
 * The mode `kycd start` runs in. Only `--sim` (which `npm start` passes) selects the hardware
 * simulator: a configuration file that says `mode: simulator` is refused, since it would let
 * whoever can edit the file feed synthetic frames and documents to a production install.
 * @throws {ConfigError} naming the `mode` key.
 */
export function startMode(
  file: Pick<KycdConfig, 'mode'>,
  sim: boolean,
  configPath: string | undefined,
): 'production' | 'simulator' {
  if (sim) return 'simulator';
  if (file.mode === 'simulator') {
    throw new ConfigError(
      `${configPath ?? 'configuration'}: key "mode": "simulator" can only be selected with \`kycd start --sim\`; a configuration file cannot turn the hardware simulator on (remove the key or set it to "production")`,
      '/mode',
      configPath,
    );
  }
  return 'production';
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}
