import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';

/** A column as the Prisma schema describes it. */
interface ModelColumn {
  model: string;
  field: string;
  table: string;
  column: string;
  /** What PostgreSQL must report for it: udt_name, and precision/scale or length where the schema names them. */
  type: string;
  nullable: boolean;
}

/** A column as the migrated database has it. */
interface TableColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

const SCHEMA_DIR = join(__dirname, '..', 'prisma', 'schema');

/**
 * Tables the migrations create that have no model, each for a reason: nothing
 * reads them through Prisma, and a model would invite a second way to write them.
 */
const TABLES_WITHOUT_MODEL: Record<string, string> = {
  schema_migrations: "the migrator's own record of applied migrations (libs/db/src/migrator.ts)",
};

/** The PostgreSQL type a Prisma field stands for, as information_schema names it (udt_name, with its modifiers). */
function columnType(type: string, list: boolean, native: string | undefined): string {
  const element = (() => {
    if (native) {
      const [, name, args] = /^(\w+)(?:\(([^)]*)\))?$/.exec(native) ?? [];
      switch (name) {
        case 'Timestamptz':
          return 'timestamptz';
        case 'Timestamp':
          return 'timestamp';
        case 'Date':
          return 'date';
        case 'SmallInt':
          return 'int2';
        case 'Decimal':
          return `numeric(${args.replace(/\s/g, '')})`;
        case 'Char':
          return `bpchar(${args})`;
        case 'VarChar':
          return `varchar(${args})`;
        case 'Json':
          return 'json';
        case 'Inet':
          return 'inet';
        default:
          return `unmapped @db.${native}`;
      }
    }
    const scalar: Record<string, string> = {
      String: 'text',
      Int: 'int4',
      BigInt: 'int8',
      Boolean: 'bool',
      DateTime: 'timestamp',
      Decimal: 'numeric',
      Json: 'jsonb',
      Bytes: 'bytea',
      Float: 'float8',
    };
    return scalar[type] ?? `unmapped ${type}`;
  })();
  return list ? `_${element}` : element;
}

/** Every model's columns, read from the schema files (relation fields, which are no columns, left out). */
function modelColumns(): ModelColumn[] {
  const text = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.prisma'))
    .map((file) => readFileSync(join(SCHEMA_DIR, file), 'utf8'))
    .join('\n');
  const blocks = [...text.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)];
  const models = new Set(blocks.map((block) => block[1]));
  return blocks.flatMap(([, model, body]) => {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    return body.split('\n').flatMap((line): ModelColumn[] => {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field || line.trim().startsWith('//') || line.trim().startsWith('@@')) return [];
      const [, name, type, list, optional, attributes] = field;
      if (models.has(type) || attributes.includes('@relation')) return [];
      return [
        {
          model,
          field: name,
          table,
          column: /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? name,
          type: columnType(type, list !== undefined, /@db\.(\w+(?:\([^)]*\))?)/.exec(attributes)?.[1]),
          nullable: optional !== undefined,
        },
      ];
    });
  });
}

const WORKSPACE = join(__dirname, '..', '..', '..');

/** Non-test TypeScript of every library and app, where Prisma delegates are called. */
function sourceText(): string {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return ['node_modules', 'generated', 'test'].includes(entry.name) ? [] : files(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
    });
  return ['libs', 'apps']
    .flatMap((root) => readdirSync(join(WORKSPACE, root)).map((project) => join(WORKSPACE, root, project, 'src')))
    .filter((dir) => existsSync(dir))
    .flatMap(files)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/**
 * The Prisma schema describes exactly the tables the migrations make: every
 * model's column exists with the type, precision and nullability the model
 * says, every column of a table (partitions are read through their parent)
 * is in its model, and a table without a model is listed with its reason.
 * `findFirst` on each model (migrations.int.spec.ts) shows only that the
 * named columns exist.
 */
describe('Prisma schema exactness', () => {
  let database: TestDatabase;
  let columns: TableColumn[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query<{ table: string; column: string; udt: string; precision: number | null; scale: number | null; length: number | null; nullable: string }>(
        `SELECT c.table_name AS table, c.column_name AS column, c.udt_name AS udt, c.numeric_precision AS precision,
                c.numeric_scale AS scale, c.character_maximum_length AS length, c.is_nullable AS nullable
           FROM information_schema.columns c
           JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
          WHERE c.table_schema = 'public' AND NOT k.relispartition AND k.relkind IN ('r', 'p')`,
      );
      columns = rows.map((row) => ({
        table: row.table,
        column: row.column,
        type:
          row.udt === 'numeric' && row.precision !== null
            ? `numeric(${row.precision},${row.scale})`
            : row.length !== null
              ? `${row.udt}(${row.length})`
              : row.udt,
        nullable: row.nullable === 'YES',
      }));
    } finally {
      await pool.end();
    }
  });
  afterAll(() => database?.drop());

  it('gives every model column the type and nullability of its column in the database', () => {
    const byName = new Map(columns.map((column) => [`${column.table}.${column.column}`, column]));
    const mismatches = modelColumns().flatMap(({ model, field, table, column, type, nullable }) => {
      const actual = byName.get(`${table}.${column}`);
      if (!actual) return [`${model}.${field}: no column ${table}.${column}`];
      const problems: string[] = [];
      if (actual.type !== type) problems.push(`${model}.${field}: the model says ${type}, ${table}.${column} is ${actual.type}`);
      if (actual.nullable !== nullable) problems.push(`${model}.${field}: the model says ${nullable ? 'optional' : 'required'}, ${table}.${column} is ${actual.nullable ? 'nullable' : 'NOT NULL'}`);
      return problems;
    });
    expect(mismatches).toEqual([]);
  });

  it('has no model that nothing queries through Prisma, unless its doc comment says where its SQL runs', () => {
    const text = readdirSync(SCHEMA_DIR)
      .filter((file) => file.endsWith('.prisma'))
      .map((file) => readFileSync(join(SCHEMA_DIR, file), 'utf8'))
      .join('\n');
    const source = sourceText();
    const unexplained = [...text.matchAll(/((?:^\/\/\/.*\n)*)^model (\w+) \{/gm)].flatMap(([, docs, model]) => {
      const delegate = model[0].toLowerCase() + model.slice(1);
      const queried = new RegExp(`\\b(?:prisma|tx)\\.${delegate}\\.`).test(source);
      const explained = /^\/\/\/ (?:Raw SQL|Read through)\b/m.test(docs);
      return queried || explained ? [] : [`${model}: queried nowhere through Prisma, and no "/// Raw SQL: …" or "/// Read through …" says why`];
    });
    expect(unexplained).toEqual([]);
  });

  it('has a model column for every column of every table, and a model for every table or a reason why not', () => {
    const modelled = modelColumns();
    const tables = new Set(modelled.map((column) => column.table));
    const known = new Set(modelled.map((column) => `${column.table}.${column.column}`));
    const missing = columns
      .filter((column) => !(column.table in TABLES_WITHOUT_MODEL))
      .flatMap((column) =>
        !tables.has(column.table) ? [`table ${column.table} has no model`] : known.has(`${column.table}.${column.column}`) ? [] : [`${column.table}.${column.column} is in no model`],
      );
    expect([...new Set(missing)]).toEqual([]);
  });
});
