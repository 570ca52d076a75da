/*
 * HTTP conventions every endpoint keeps: errors, text input, sizes, logs, the OpenAPI document.
 *
 * One jest file for the parts in ./http: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('conventions', () => {
  jest.requireActual('./http/conventions');
});
describe('validation errors', () => {
  jest.requireActual('./http/validation-errors');
});
describe('text input', () => {
  jest.requireActual('./http/text-input');
});
describe('invisible characters', () => {
  jest.requireActual('./http/invisible-characters');
});
describe('stored sizes', () => {
  jest.requireActual('./http/stored-sizes');
});
describe('request log', () => {
  jest.requireActual('./http/request-log');
});
describe('openapi', () => {
  jest.requireActual('./http/openapi');
});
