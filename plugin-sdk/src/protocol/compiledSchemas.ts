import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
import { EVENTS, type EventName, type EventSpec } from './EVENTS.js';
import { METHODS, type MethodName, type MethodSpec } from './METHODS.js';
import { EventFrame } from './schemas/EventFrame.js';
import { RequestFrame } from './schemas/RequestFrame.js';
import {
  ErrorResponseFrame,
  ResponseFrame,
  SuccessResponseFrame,
} from './schemas/ResponseFrame.js';

/** One schema problem: where (a JSON pointer) and what. */
export interface SchemaIssue {
  /** JSON pointer into the checked value, e.g. `/consent/accepted` (empty for the root). */
  readonly path: string;
  /** What is wrong, from TypeBox. */
  readonly message: string;
}

/** Most issues reported for one value; the first few are what a developer needs. */
const MAX_ISSUES = 8;

function compileEach<K extends string, V>(
  entries: Record<K, V>,
  pick: (entry: V) => TSchema,
): Record<K, TypeCheck<TSchema>> {
  const out = {} as Record<K, TypeCheck<TSchema>>;
  for (const key of Object.keys(entries) as K[])
    out[key] = TypeCompiler.Compile(pick(entries[key]));
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

/**
 * The first few schema issues of `value` against `check`. For a union of objects (like
 * `session.provideMrz`) a bare "Expected union value" helps nobody, so the issues of the
 * alternative whose keys best match the value are reported instead.
 */
export function schemaIssues(check: TypeCheck<TSchema>, value: unknown): SchemaIssue[] {
  const variant = closestVariant(check.Schema(), value);
  const errors = variant === undefined ? check.Errors(value) : Errors(variant, value);
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    issues.push({ path: error.path, message: error.message });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}

function closestVariant(schema: TSchema, value: unknown): TSchema | undefined {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (anyOf === undefined || typeof value !== 'object' || value === null || Array.isArray(value))
    return undefined;
  const keys = Object.keys(value);
  let best: TSchema | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const variant of anyOf) {
    const properties = (variant as { properties?: Record<string, unknown> }).properties;
    if (properties === undefined) return undefined;
    const names = Object.keys(properties);
    const score =
      keys.filter((k) => names.includes(k)).length - keys.filter((k) => !names.includes(k)).length;
    if (score > bestScore) {
      bestScore = score;
      best = variant;
    }
  }
  return best;
}

/**
 * A copy of a schema that tolerates properties it does not know (every `additionalProperties:
 * false` dropped). The SDK checks the daemon's results and events with these, so a newer daemon
 * that adds a field does not break an older client; the daemon and its tests use the strict ones.
 */
export function tolerant<T extends TSchema>(schema: T): T {
  return relax(schema) as T;
}

function relax(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relax);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(value)) {
    const child = (value as Record<PropertyKey, unknown>)[key];
    if (key === 'additionalProperties' && child === false) continue;
    out[key] = relax(child);
  }
  return out;
}

/** The daemon → client schemas in their tolerant form (see {@link tolerant}), compiled once, for the SDK. */
export const COMPILED_TOLERANT = {
  responseFrame: TypeCompiler.Compile(tolerant(ResponseFrame)),
  successFrame: TypeCompiler.Compile(tolerant(SuccessResponseFrame)),
  errorFrame: TypeCompiler.Compile(tolerant(ErrorResponseFrame)),
  eventFrame: TypeCompiler.Compile(tolerant(EventFrame)),
  result: compileEach<MethodName, MethodSpec>(METHODS, (m) => tolerant(m.result)),
  event: compileEach<EventName, EventSpec>(EVENTS, (e) => tolerant(e.data)),
};
