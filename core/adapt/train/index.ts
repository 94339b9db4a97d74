/**
 * Retraining the bundled USE-lite encoder: TensorFlow.js trains transformer layer 1, pooling and
 * the tanh layer over frozen layer-0 token states; the result becomes a full ONNX model for
 * onnxruntime. Retraining layers that read token states means a new version can only be applied
 * to a chunk by re-running the transformer over its text, which is why old chunks keep their
 * version and queries are compensated instead.
 */
export { createUseLiteTrainer } from './trainer.ts';
export type { UseLiteTrainer, UseLiteTrainerOptions } from './trainer.ts';
export { loadVersionEncoder, VERSION_FILES } from './versionFiles.ts';
export { selectTrainingBackend, BACKEND_PRIORITY } from './backend.ts';
export type { TrainingBackendName } from './backend.ts';
export type { UseLiteCandidate, UseLiteTrainReport } from './candidate.ts';
