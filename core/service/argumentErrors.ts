import type { z } from 'zod';

/**
 * What the fields of the API's arguments are called where people type them (the search box, the
 * settings form, the folder field, the command line's options), so that a refused argument reads
 * as a sentence about that field rather than as a schema path.
 */
const FIELD_NAMES: Record<string, string> = {
  query: 'The search',
  limit: 'The number of results',
  mode: 'The search mode',
  path: 'The folder path',
  'filters.tags': 'The tag filter',
  'filters.pathGlob': 'The path filter',
  'filters.folderIds': 'The folder filter',
  'settings.adaptation.afterNewNotes': 'The number of new or changed notes before adapting',
  'settings.adaptation.afterFeedbackEvents': 'The number of feedback clicks before adapting',
  'settings.adaptation.scheduleHours': 'The hours between adaptations',
  'settings.adaptation.trainingMinutes': 'The training time budget (minutes)',
  'settings.backfill.chunksPerMinute': 'The passages re-embedded per minute',
  'settings.shortcut': 'The shortcut',
  'settings.theme': 'The theme',
  'settings.ignore': 'The list of ignored paths',
  'settings.maxFileBytes': 'The largest file imported (in bytes)',
  'settings.maxIndexedChars': 'The characters of a note made searchable',
  'settings.searchMode': 'The search mode',
};

type Issue = z.core.$ZodIssue;

/** One issue of a refused argument as a sentence for people, e.g. "The search is too long: at most 2000 characters." */
export function issueSentence(issue: Issue): string {
  const key = issue.path.map(String).join('.');
  const field = FIELD_NAMES[key] ?? (key ? `"${key}"` : 'The request');
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `${field} is too long: at most ${issue.maximum} characters.`;
      if (issue.origin === 'array') return `${field} has too many entries: at most ${issue.maximum}.`;
      return `${field} must be at most ${issue.maximum}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? `${field} cannot be empty.` : `${field} is too short.`;
      if (issue.origin === 'array') return `${field} needs at least ${issue.minimum} entries.`;
      return `${field} must be at least ${issue.minimum}.`;
    case 'invalid_type':
      if (issue.expected === 'int') return `${field} must be a whole number.`;
      if (issue.expected === 'number') return `${field} needs a number.`;
      if (issue.expected === 'string') return `${field} needs text.`;
      if (issue.expected === 'boolean') return `${field} must be on or off.`;
      return `${field} is not in the expected form.`;
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'field' : 'fields'}: ${issue.keys.join(', ')}.`;
    default:
      return `${field} is not valid: ${issue.message}.`;
  }
}
