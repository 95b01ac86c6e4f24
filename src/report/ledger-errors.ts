// Errors of the compliance ledger. A ledger that fails verification is a result (data); these are
// for a ledger that cannot be appended to at all.

import { EXIT, VerifyDepsError, type ErrorDetails } from '../errors.js';

export type LedgerErrorCode =
  // The ledger directory cannot be created, read or written (or is not a directory).
  | 'LEDGER_DIR_UNUSABLE'
  // The report to append is not a UTF-8 JSON object.
  | 'LEDGER_REPORT_INVALID'
  // The newest record does not match its content address or sequence: the ledger was tampered
  // with, and extending it would bless the tampering.
  | 'LEDGER_HEAD_INVALID'
  // A sequence claim left by an interrupted append is not a valid next record.
  | 'LEDGER_CLAIM_INVALID'
  // Other appenders kept winning the next sequence until we gave up.
  | 'LEDGER_BUSY';

const EXIT_BY_CODE: Record<LedgerErrorCode, (typeof EXIT)[keyof typeof EXIT]> = {
  LEDGER_DIR_UNUSABLE: EXIT.badInput,
  LEDGER_REPORT_INVALID: EXIT.badInput,
  // Evidence of tampering is a failure of the gate, not a usage problem.
  LEDGER_HEAD_INVALID: EXIT.policyFailure,
  LEDGER_CLAIM_INVALID: EXIT.policyFailure,
  LEDGER_BUSY: EXIT.incomplete,
};

// The compliance ledger cannot be used.
export class LedgerError extends VerifyDepsError<LedgerErrorCode> {
  constructor(code: LedgerErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT_BY_CODE[code], details, cause);
  }
}
