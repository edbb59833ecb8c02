/** One problem in a mapping's validation report. */
export interface ValidationProblem {
  code: string;
  severity: 'error' | 'warning';
  field?: string;
  attribute?: string;
  message: string;
}

/** A mapping checked against the org's describes, as the API reports it. */
export interface ValidationReport {
  salesforceObject: string;
  valid: boolean;
  problems: ValidationProblem[];
}

/** A saved mapping as the API shows it. */
export interface SavedMapping {
  id: string;
  salesforceObject: string;
  recordType: string;
  direction: string;
  enabled: boolean;
  filter: string | null;
  matchRules?: unknown[];
  fields: Record<string, unknown>[];
  validation: ValidationReport;
}

/** Any API answer; a refused mapping carries its validation reports in the error. */
export type ApiErrorBody = Record<string, unknown> & {
  error?: {
    code: string;
    message: string;
    report?: ValidationReport;
    reports?: ValidationReport[];
  };
};
