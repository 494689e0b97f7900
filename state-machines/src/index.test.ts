import { describe, expect, it } from 'vitest';
import { hello } from '@kycd/state-machines';
describe('resolution', () => { it('resolves source', () => { expect(hello()).toBe('hi'); }); });
