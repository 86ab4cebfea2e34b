// Finds module-level state that Moddable's preload would freeze into flash. A preloaded module runs at
// build time; whatever it leaves at module level becomes read-only on the device, so a counter, buffer,
// map or cache there fails (or silently stops changing) at run time. Allowed at module level: functions,
// classes without mutable statics, types, and const tables of primitives frozen with Object.freeze.
// `as const` and readonly types are not enough: they stop the type checker, not the program, and
// Moddable's linker (xsl) warns "not frozen" for such tables and keeps them writable (copied to RAM on
// the first write).

import ts from "typescript";

export interface Finding {
  file: string;
  line: number;
  what: string;
}

export function findModuleState(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const report = (node: ts.Node, what: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  for (const statement of source.statements) checkStatement(statement, report);
  return findings;
}

type Report = (node: ts.Node, what: string) => void;

function checkStatement(statement: ts.Statement, report: Report): void {
  if (ts.isVariableStatement(statement)) return checkVariables(statement.declarationList, report);
  if (ts.isClassDeclaration(statement)) return checkClassStatics(statement, report);
  if (ts.isEnumDeclaration(statement)) return report(statement, `enum ${statement.name.text} (use a frozen const table)`);
  if (ts.isExpressionStatement(statement)) return checkExpressionStatement(statement, report);
}

function checkVariables(list: ts.VariableDeclarationList, report: Report): void {
  const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
  for (const declaration of list.declarations) {
    const name = declaration.name.getText();
    if (!isConst) report(declaration, `top-level let/var ${name}`);
    else if (declaration.initializer && !isImmutableValue(declaration.initializer)) {
      report(declaration, `top-level const ${name} holds a mutable value`);
    }
  }
}

function checkClassStatics(node: ts.ClassDeclaration, report: Report): void {
  const className = node.name?.text ?? "(anonymous)";
  for (const member of node.members) {
    if (ts.isClassStaticBlockDeclaration(member)) report(member, `static block in class ${className}`);
    if (!ts.isPropertyDeclaration(member) || !hasModifier(member, ts.SyntaxKind.StaticKeyword)) continue;
    const name = member.name.getText();
    if (!hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)) report(member, `mutable static ${className}.${name}`);
    else if (member.initializer && !isImmutableValue(member.initializer)) {
      report(member, `static ${className}.${name} holds a mutable value`);
    }
  }
}

// Top-level assignments (`x.count = 0`, `Foo.cache = new Map()`) mutate module state at load time.
function checkExpressionStatement(statement: ts.ExpressionStatement, report: Report): void {
  const expression = statement.expression;
  if (ts.isBinaryExpression(expression) && isAssignment(expression.operatorToken.kind)) {
    report(statement, `top-level assignment to ${expression.left.getText()}`);
  }
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function hasModifier(node: ts.HasModifiers, kind: ts.SyntaxKind): boolean {
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false;
}

/** A value nobody can change: a primitive, a function, or a frozen table of primitives. */
export function isImmutableValue(node: ts.Expression): boolean {
  const inner = skipParentheses(node);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || ts.isClassExpression(inner)) return true;
  if (ts.isSatisfiesExpression(inner) || ts.isAsExpression(inner)) return isImmutableValue(inner.expression);
  if (isObjectFreeze(inner)) return inner.arguments.length === 1 && isPrimitiveTable(inner.arguments[0]);
  if (ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner)) return false;
  if (ts.isNewExpression(inner) || ts.isRegularExpressionLiteral(inner)) return false;
  if (ts.isCallExpression(inner)) return !isCollectionFactory(inner);
  return true;
}

// Object.freeze is shallow: a nested table must be frozen itself. `as const` inside freeze is fine.
function isPrimitiveTable(node: ts.Expression): boolean {
  const inner = skipParentheses(node);
  if (ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) return isPrimitiveTable(inner.expression);
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.every((p) => ts.isPropertyAssignment(p) && isTableEntry(p.initializer));
  }
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.every(isTableEntry);
  return false;
}

function isTableEntry(node: ts.Expression): boolean {
  const inner = skipParentheses(node);
  return !ts.isObjectLiteralExpression(inner) && !ts.isArrayLiteralExpression(inner) && isImmutableValue(inner);
}

function isObjectFreeze(node: ts.Expression): node is ts.CallExpression {
  return ts.isCallExpression(node) && node.expression.getText() === "Object.freeze";
}

// Array.from, Uint8Array.of, Object.assign, Object.fromEntries, new-less Map-like factories...
const COLLECTION_OWNERS = /^(Array|Object|Map|Set|WeakMap|WeakSet|(Big)?(Uint|Int|Float)(8|16|32|64)(Clamped)?Array|ArrayBuffer|DataView)\./;

function isCollectionFactory(node: ts.CallExpression): boolean {
  return COLLECTION_OWNERS.test(node.expression.getText());
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let inner = node;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  return inner;
}
