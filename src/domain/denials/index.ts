export * from './carc';
export * from './route';
