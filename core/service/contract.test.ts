import { describe, expect, it } from 'vitest';
import { API_METHODS } from './contract.ts';

describe('API contract', () => {
  // Changing this list changes the API of every transport: update it deliberately.
  it('has exactly the known methods, in order', () => {
    expect(API_METHODS).toEqual([
      'status',
      'search',
      'getNote',
      'openNote',
      'revealNote',
      'recordFeedback',
      'listFolders',
      'addFolder',
      'suggestFolders',
      'removeFolder',
      'syncFolders',
      'getImportReport',
      'repairIndex',
      'listJobs',
      'pauseJob',
      'resumeJob',
      'cancelJob',
      'startAdaptation',
      'listVersions',
      'rollback',
      'getSettings',
      'updateSettings',
      'listModels',
      'downloadModel',
      'importModel',
      'removeModel',
      'useModel',
      'listMarks',
      'clearMark',
    ]);
  });
});
