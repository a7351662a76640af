// Real-client test: node-postgres (pg).  Run: node tests/clients/node/node_test.js
// Settings from CT_HOST, CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.
// Prints "OK ..." or "FAIL: reason".
//
// node-postgres sends an SSLRequest only when `ssl` is set; rejectUnauthorized:false
// accepts the self-signed certificate.  Queries with `values` use the extended
// protocol (unnamed statement); queries with `name` prepare a named statement once
// per connection and afterwards send only Bind/Describe/Execute/Sync.
'use strict';
const { Client } = require('pg');

function config(password) {
  return {
    host: process.env.CT_HOST || '127.0.0.1',
    port: Number(process.env.CT_PORT || 5432),
    user: process.env.CT_USER || 'admin',
    password,
    database: process.env.CT_DBNAME || 'postgres',
    ssl: { rejectUnauthorized: false },
    application_name: 'borealis-node',
    connectionTimeoutMillis: 20000,
    query_timeout: 60000,
  };
}

function check(ok, what) {
  if (!ok) throw new Error(what);
}

async function one(client, q) {
  const r = await client.query(q);
  check(r.rows.length === 1 && r.fields.length === 1,
    `${JSON.stringify(q)}: got ${r.rows.length} rows x ${r.fields.length} cols, want 1x1`);
  return r.rows[0][r.fields[0].name];
}

async function main() {
  const c = new Client(config(process.env.CT_PASSWORD || ''));
  await c.connect();
  try {
    check(c.connection.stream.encrypted === true && typeof c.connection.stream.getProtocol === 'function' && /^TLS/.test(c.connection.stream.getProtocol() || ''),
      'connection is not using TLS');
    check(await one(c, 'SHOW application_name') === 'borealis-node', 'application_name from startup');
    check(await one(c, 'SELECT 1') === 1, 'SELECT 1');
    // Extended protocol, unnamed statement, text parameter.
    check(await one(c, { text: 'SELECT $1::int + 1', values: [41] }) === 42, 'SELECT $1::int + 1');
    // Named prepared statement, reused.
    for (let i = 0; i < 6; i++) {
      const v = await one(c, { name: 'add_one', text: 'SELECT $1::int + 1', values: [41 + i] });
      check(v === 42 + i, `prepared add_one(${41 + i}) = ${v}`);
    }
    // Array row mode and a text parameter.
    const r = await c.query({ text: "SELECT $1::text || 'b' AS s, $2::int AS n", values: ['a', 7], rowMode: 'array' });
    check(r.rows.length === 1 && r.rows[0][0] === 'ab' && r.rows[0][1] === 7, 'rowMode array');
    // Transaction.
    await c.query('BEGIN');
    check(await one(c, { text: 'SELECT $1::int', values: [5] }) === 5, 'query in transaction');
    await c.query('COMMIT');

    // Session parameters.
    await c.query("SET application_name TO 'borealis-x'");
    check(await one(c, 'SHOW application_name') === 'borealis-x', 'SHOW application_name after SET');
    check(await one(c, { text: 'SELECT set_config($1, $2, false)', values: ['search_path', 'public'] }) === 'public', 'set_config');
    check(await one(c, "SELECT current_setting('search_path')") === 'public', 'current_setting');

    // Error SQLSTATE, in both protocols; the session remains usable.
    for (const q of ['SELECT 1/0', { text: 'SELECT 1/$1::int', values: [0] }]) {
      let err = null;
      try { await c.query(q); } catch (e) { err = e; }
      check(err !== null, `${JSON.stringify(q)} did not fail`);
      check(err.code === '22012', `${JSON.stringify(q)}: code ${err.code}`);
    }
    check(await one(c, 'SELECT 1') === 1, 'SELECT 1 after error');
  } finally {
    await c.end();
  }

  // Wrong password -> 28P01.
  const bad = new Client(config('definitely-not-the-password'));
  let err = null;
  try { await bad.connect(); } catch (e) { err = e; }
  if (err === null) { await bad.end(); throw new Error('login with a wrong password succeeded'); }
  check(err.code === '28P01', `wrong password: code ${err.code} (${err.message})`);

  console.log(`OK node-postgres ${require('pg/package.json').version} node ${process.version}`);
}

main().catch((e) => {
  console.log(`FAIL: ${e && e.message ? e.message : e}${e && e.code ? ' code=' + e.code : ''}`);
  process.exit(1);
});
