import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { EVENTS, type EventName, type EventSpec } from './EVENTS.js';
import { METHODS, type MethodName, type MethodSpec } from './METHODS.js';
import { EventFrame } from './schemas/EventFrame.js';
import { RequestFrame } from './schemas/RequestFrame.js';
import { ResponseFrame } from './schemas/ResponseFrame.js';

/** One schema problem: where (a JSON pointer) and what. */
export interface SchemaIssue {
  /** JSON pointer into the checked value, e.g. `/consent/accepted` (empty for the root). */
  readonly path: string;
  /** What is wrong, from TypeBox. */
  readonly message: string;
}

/** Most issues reported for one value; the first few are what a developer needs. */
const MAX_ISSUES = 8;

function compileEach<K extends string, V>(entries: Record<K, V>, pick: (entry: V) => TSchema): Record<K, TypeCheck<TSchema>> {
  const out = {} as Record<K, TypeCheck<TSchema>>;
  for (const key of Object.keys(entries) as K[]) out[key] = TypeCompiler.Compile(pick(entries[key]));
  return out;
}

/**
 * Every protocol schema compiled once at module load (TypeBox `TypeCompiler.Compile`), so the
 * daemon's hot path runs generated code instead of interpreting schemas.
 */
export const COMPILED = {
  requestFrame: TypeCompiler.Compile(RequestFrame),
  responseFrame: TypeCompiler.Compile(ResponseFrame),
  eventFrame: TypeCompiler.Compile(EventFrame),
  params: compileEach<MethodName, MethodSpec>(METHODS, (m) => m.params),
  result: compileEach<MethodName, MethodSpec>(METHODS, (m) => m.result),
  event: compileEach<EventName, EventSpec>(EVENTS, (e) => e.data),
};

/** The first few schema issues of `value` against `check`. */
export function schemaIssues(check: TypeCheck<TSchema>, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const error of check.Errors(value)) {
    issues.push({ path: error.path, message: error.message });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}
