export type * from './language/ast.js';
