import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MACHINE_DOCS } from './machineDocs.js';
import { machineToMermaid, machineTransitionRows } from './machineToMermaid.js';
import { renderMachineDoc } from './renderMachineDoc.js';

const docsDir = new URL('../../../docs/machines/', import.meta.url);

describe('docs/machines', () => {
  it.each(MACHINE_DOCS.map((spec) => [spec.name, spec] as const))(
    'docs/machines/%s.md is up to date with the machine definition',
    (name, spec) => {
      const committed = readFileSync(new URL(`${name}.md`, docsDir), 'utf8');
      // If this fails: node --conditions=@kycd/source --import tsx scripts/machines-diagrams.ts
      expect(committed).toBe(renderMachineDoc(spec));
    },
  );

  it('renders every state and every targeted transition of the session machine', () => {
    const spec = MACHINE_DOCS.find((s) => s.name === 'session')!;
    const mermaid = machineToMermaid(spec.machine);
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const id of [
      'session_active_document_reading',
      'session_suspended',
      'session_failed',
      'session_active_hist',
    ]) {
      expect(mermaid).toContain(`as ${id}`);
    }
    expect(mermaid).toContain('session_failed --> [*]');
    expect(mermaid).toContain(
      'session_active_document_reading --> session_active_document_credentials : error readDocument [isCredentialsRequiredError && canProvideCredentials]',
    );
    expect(mermaid).toContain('ROOT --> session_cancelled : CANCEL');
    expect(mermaid).toContain('ROOT --> session_expired : after sessionMs');
    const rows = machineTransitionRows(spec.machine);
    expect(rows).toContainEqual({
      from: 'active.document.reading',
      event: 'after documentReadMs',
      guard: '',
      to: 'failed',
      actions: 'setReason(session_document_read_timeout)',
    });
    const targeted = rows.filter((r) => r.to !== '').length;
    expect(
      mermaid.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]')).length,
    ).toBe(targeted);
  });
});
