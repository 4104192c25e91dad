// Ordered migrations of the project file. Migration N takes a file from version N-1 to N.
// Never edit a released migration: add a new one and bump kSchemaVersion.
#include "store/schema.h"

#include <string>

namespace ts {

namespace {

// Version 1: examples and project metadata (the first development builds).
constexpr const char* kMigration1 = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE examples (
    id          INTEGER PRIMARY KEY,
    messages    TEXT NOT NULL,            -- JSON [{"role","content"}]
    input_text  TEXT NOT NULL DEFAULT '', -- last user message (search, sort)
    output_text TEXT NOT NULL DEFAULT '', -- last assistant message
    split       TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'eval', 'test')),
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    source      TEXT NOT NULL DEFAULT 'golden' CHECK (source IN ('golden', 'synthetic', 'imported')),
    created_at  INTEGER NOT NULL,         -- unix ms
    updated_at  INTEGER NOT NULL
);
CREATE INDEX examples_split ON examples(split);
)sql";

// Version 2: lineage for synthetic rows; prompts, models, runs, metrics, generations,
// scores and artifacts, so later features extend rather than rewrite the file.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE examples ADD COLUMN parent_id INTEGER REFERENCES examples(id) ON DELETE SET NULL;
ALTER TABLE examples ADD COLUMN evolution_op TEXT NOT NULL DEFAULT '';
ALTER TABLE examples ADD COLUMN quality REAL;
CREATE INDEX examples_updated ON examples(updated_at);
CREATE INDEX examples_parent ON examples(parent_id);

CREATE TABLE prompts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE prompt_versions (
    id         INTEGER PRIMARY KEY,
    prompt_id  INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    config     TEXT NOT NULL,              -- JSON: system prompt, few-shot ids, format, CoT, params
    created_at INTEGER NOT NULL,
    UNIQUE (prompt_id, version)
);
CREATE TABLE models (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,     -- 'local' | 'openai' | 'anthropic'
    location            TEXT NOT NULL,     -- local folder (relative to the project) or base URL
    model_id            TEXT NOT NULL DEFAULT '',
    price_in_per_mtok   REAL,
    price_out_per_mtok  REAL,
    config              TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,             -- 'import' | 'ab_test' | 'evolve' | 'train' | 'eval' | 'export'
    name        TEXT NOT NULL DEFAULT '',
    config      TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    error       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER
);
CREATE TABLE metrics (
    id       INTEGER PRIMARY KEY,          -- live plots poll rows with id > last seen
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step     INTEGER NOT NULL,
    name     TEXT NOT NULL,
    value    REAL NOT NULL,
    wall_ms  INTEGER NOT NULL
);
CREATE INDEX metrics_run ON metrics(run_id, name, step);
CREATE TABLE generations (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant     TEXT NOT NULL DEFAULT '',
    example_id  INTEGER REFERENCES examples(id) ON DELETE SET NULL,
    repeat      INTEGER NOT NULL DEFAULT 0,
    request     TEXT NOT NULL DEFAULT '',  -- exact rendered messages sent (JSON)
    output      TEXT NOT NULL,
    tokens_in   INTEGER,
    tokens_out  INTEGER,
    latency_ms  REAL,
    cost        REAL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX generations_run ON generations(run_id, variant, example_id);
CREATE TABLE scores (
    id            INTEGER PRIMARY KEY,
    generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    scorer        TEXT NOT NULL,
    value         REAL NOT NULL,
    rationale     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scores_generation ON scores(generation_id);
CREATE TABLE artifacts (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    kind       TEXT NOT NULL,              -- 'checkpoint' | 'adapter' | 'gguf' | 'merged' | 'modelfile'
    path       TEXT NOT NULL,              -- relative to the project file's folder
    sha256     TEXT NOT NULL DEFAULT '',
    bytes      INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
)sql";

// Version 3: metrics ids never come back (AUTOINCREMENT). A resumed run deletes the metrics after
// its checkpoint and writes new ones; with reused ids a live plot polling "id > last seen" would
// miss them.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE metrics_v3 (
    id       INTEGER PRIMARY KEY AUTOINCREMENT, -- live plots poll rows with id > last seen
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step     INTEGER NOT NULL,
    name     TEXT NOT NULL,
    value    REAL NOT NULL,
    wall_ms  INTEGER NOT NULL
);
INSERT INTO metrics_v3 (id, run_id, step, name, value, wall_ms)
    SELECT id, run_id, step, name, value, wall_ms FROM metrics;
DROP TABLE metrics;
ALTER TABLE metrics_v3 RENAME TO metrics;
CREATE INDEX metrics_run ON metrics(run_id, name, step);
)sql";

// Version 4: A/B test cells. A generation is one cell (run, variant, example, repeat): unique, so a
// resumed run skips done cells and rewrites failed ones; a failed call is recorded with its error.
// A score is unique per (generation, scorer) and keeps pass/fail for McNemar.
constexpr const char* kMigration4 = R"sql(
ALTER TABLE generations ADD COLUMN prompt_version_id INTEGER REFERENCES prompt_versions(id) ON DELETE SET NULL;
ALTER TABLE generations ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX generations_cell ON generations(run_id, variant, example_id, repeat);
ALTER TABLE scores ADD COLUMN passed INTEGER; -- 1 / 0 for pass-fail scorers, NULL otherwise
CREATE UNIQUE INDEX scores_cell ON scores(generation_id, scorer);
)sql";

// Version 5: names that say what the tables hold. `models` holds endpoints (a local folder or a remote
// API with prices), `generations` holds the cells of comparison runs (A/B tests, evaluations), so a
// score points at its `cell_id`. Rows, ids and foreign keys are kept (SQLite rewrites the references).
constexpr const char* kMigration5 = R"sql(
ALTER TABLE models RENAME TO endpoints;
ALTER TABLE generations RENAME TO cells;
DROP INDEX generations_run;
DROP INDEX generations_cell;
CREATE INDEX cells_run ON cells(run_id, variant, example_id);
CREATE UNIQUE INDEX cells_key ON cells(run_id, variant, example_id, repeat);
ALTER TABLE scores RENAME COLUMN generation_id TO cell_id;
DROP INDEX scores_generation; -- scores_cell (cell_id, scorer) serves lookups by cell
)sql";

// Version 6: imports commit in chunks.
// An import registers itself in `imports` (which process runs it) and lists every row it has inserted in
// `import_pending` until its last chunk is in; readers skip pending rows, and the rows of an import that failed,
// was cancelled or whose process died are deleted (those of a dead process on the next open).
constexpr const char* kMigration6 = R"sql(
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    pid        INTEGER NOT NULL,
    host       TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE TABLE import_pending (
    example_id INTEGER PRIMARY KEY REFERENCES examples(id) ON DELETE CASCADE,
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE
);
CREATE INDEX import_pending_import ON import_pending(import_id);
)sql";

// Version 7: run leases (store/run_lease.h). The process that drives a run (training, A/B test) holds its lease:
// pid, host and a heartbeat it advances every few seconds. A second process refuses to drive a run whose owner
// is alive; a run left "running" without a live owner is shown as interrupted and can be resumed.
constexpr const char* kMigration7 = R"sql(
CREATE TABLE run_leases (
    run_id       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    token        TEXT NOT NULL,            -- the holding lease object (a process may hold several)
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    acquired_ms  INTEGER NOT NULL,         -- unix ms
    heartbeat_ms INTEGER NOT NULL
);
)sql";

// Version 8: synthetic data (core/synth). One row per candidate an Evol-Instruct run ("evolve" run) made, kept
// whatever became of it: its lineage (the seed example, the row it evolved from, the operation, the round), the
// teacher's text, how it fared in the pipeline (stage + reason), the judge's score, the user's review and, once
// promoted to the training set, the example it became. `slot` is the candidate's place in the run's plan
// (round × index): a resumed run skips the slots already stored.
constexpr const char* kMigration8 = R"sql(
CREATE TABLE synthetic_rows (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round               INTEGER NOT NULL,
    slot                INTEGER NOT NULL,
    seed_example_id     INTEGER REFERENCES examples(id) ON DELETE SET NULL,
    parent_row_id       INTEGER REFERENCES synthetic_rows(id) ON DELETE SET NULL, -- NULL: evolved from the seed
    operation           TEXT NOT NULL,
    instruction         TEXT NOT NULL DEFAULT '',
    output              TEXT NOT NULL DEFAULT '',
    stage               TEXT NOT NULL CHECK (stage IN ('failed', 'eliminated', 'generated', 'duplicate', 'leak',
                                                       'unique', 'judge_failed', 'low_quality', 'passed')),
    reason              TEXT NOT NULL DEFAULT '',
    duplicate_of_row_id INTEGER,
    leak_example_id     INTEGER,
    quality             REAL,
    judge_reply         TEXT NOT NULL DEFAULT '',
    review              TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'rejected')),
    edited              INTEGER NOT NULL DEFAULT 0,
    promoted_example_id INTEGER REFERENCES examples(id) ON DELETE SET NULL,
    teacher_endpoint    TEXT NOT NULL DEFAULT '',
    teacher_model       TEXT NOT NULL DEFAULT '',
    template_version    INTEGER NOT NULL DEFAULT 0,
    evolve_reply        TEXT NOT NULL DEFAULT '',   -- the teacher's raw reply to the rewrite prompt
    tokens_in           INTEGER NOT NULL DEFAULT 0, -- all calls of the row (rewrite, answer, checks, judge)
    tokens_out          INTEGER NOT NULL DEFAULT 0,
    cost                REAL,                       -- USD; NULL when a price is unknown
    latency_ms          INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (run_id, slot)
);
CREATE INDEX synthetic_rows_updated ON synthetic_rows(run_id, updated_at);
CREATE INDEX synthetic_rows_parent ON synthetic_rows(parent_row_id);
)sql";

const char* const kMigrations[]
    = {kMigration1, kMigration2, kMigration3, kMigration4, kMigration5, kMigration6, kMigration7, kMigration8};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

} // namespace

Status migrate(Database& db, int fromVersion, int toVersion)
{
    if (fromVersion < 0 || fromVersion > kSchemaVersion)
        return Error {"cannot migrate from schema version " + std::to_string(fromVersion)};
    if (toVersion < fromVersion || toVersion > kSchemaVersion)
        return Error {"cannot migrate to schema version " + std::to_string(toVersion)};
    if (fromVersion == toVersion)
        return {};
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    for (int version = fromVersion + 1; version <= toVersion; ++version) {
        auto done = db.exec(kMigrations[version - 1]);
        if (!done)
            return Error {"migration to schema version " + std::to_string(version)
                          + " failed: " + done.error().message};
    }
    auto set = db.exec("PRAGMA user_version = " + std::to_string(toVersion));
    if (!set)
        return set.error();
    return tx->commit();
}

} // namespace ts
