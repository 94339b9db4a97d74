import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerEvalContinual } from './evalContinual.ts';
import { registerEvalRetrieval } from './evalRetrieval.ts';

/** `driftless eval <retrieval|continual>`: retrieval quality and the continual-training benchmark. */
export function registerEval(program: Command, context: CliContext): void {
  const evalCommand = program.command('eval').description('measure retrieval quality on BEIR datasets');
  registerEvalRetrieval(evalCommand, context);
  registerEvalContinual(evalCommand, context);
}
