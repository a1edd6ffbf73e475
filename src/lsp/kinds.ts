/**
 * The protocol's numeric constants the analysis worker uses. The worker
 * imports only types from `vscode-languageserver` (loading the library there
 * would add to the time before the first diagnostics); `satisfies` checks each
 * value against the library's own type.
 */
import type {
  CompletionItemKind as CompletionItemKindType, DiagnosticSeverity as DiagnosticSeverityType,
  InsertTextFormat as InsertTextFormatType, SymbolKind as SymbolKindType,
} from 'vscode-languageserver';

export const DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3 } as const satisfies Record<string, DiagnosticSeverityType>;

export const CompletionItemKind = { Function: 3, Field: 5, Variable: 6, Property: 10 } as const satisfies Record<string, CompletionItemKindType>;

export const InsertTextFormat = { PlainText: 1 } as const satisfies Record<string, InsertTextFormatType>;

export const SymbolKind = { File: 1, Package: 4 } as const satisfies Record<string, SymbolKindType>;
