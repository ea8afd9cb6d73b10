/**
 * Loads the generated models: the small routing index at start-up, a service's full model
 * on first use. Models are read from <project>/models (works from src/ and from dist/).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModelIndex, ModelIndexEntry, ServiceModel, Shape, StructureShape } from './model.js';

export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

let index: ModelIndex | undefined;
const models = new Map<string, ServiceModel>();

export function modelIndex(): ModelIndex {
  return (index ??= JSON.parse(readFileSync(MODELS_DIR + 'index.json', 'utf8')) as ModelIndex);
}

export function indexEntry(id: string): ModelIndexEntry | undefined {
  return modelIndex().services.find((s) => s.id === id);
}

export function loadModel(id: string): ServiceModel {
  let m = models.get(id);
  if (!m) {
    m = JSON.parse(readFileSync(`${MODELS_DIR}${id}.json`, 'utf8')) as ServiceModel;
    models.set(id, m);
  }
  return m;
}

export function shapeOf(model: ServiceModel, name: string | undefined): Shape | undefined {
  return name ? model.shapes[name] : undefined;
}

export function structureOf(model: ServiceModel, name: string | undefined): StructureShape | undefined {
  const s = shapeOf(model, name);
  return s && (s.type === 'structure' || s.type === 'union') ? s : undefined;
}

/** The modelled error shape for a code, if the service has one of that name. */
export function errorShape(model: ServiceModel, code: string): StructureShape | undefined {
  const s = model.shapes[code];
  return s && s.type === 'structure' && s.error ? s : undefined;
}
