/*
 * daemons/common/config_table.h — each daemon's configuration as one table of fields (redis's
 * config.c shape): name, type, default, required, validation and documentation. The table
 * drives the key rules, the template (--print-config-template) and the reference
 * (--print-config-reference, the generated section of the daemon's docs); the daemon's loader
 * reads the values with the dconf getters (config.h) and checks what the table's `check` text
 * says.
 *
 * Paths name fields: "listen", "server.workers" (a member of an object), "ChainTasks[].RpcUrl"
 * (a member of every object of an array).
 *
 * The one case rule: a key matches a field of its object exactly, else ignoring ASCII case
 * (Go's encoding/json rule, which the reference operator and aggregator rely on); it is renamed
 * to the table's spelling, so the loader always sees one spelling. Two keys naming one field
 * are an error.
 * The one unknown-key rule: a key no field names is a warning ("<object>: unknown key "K"
 * ignored"), logged at start and printed by --check-config; it never stops a start, so the
 * reference's configuration files (with fields this implementation does not use) keep working.
 */
#ifndef MPAVS_DAEMON_CONFIG_TABLE_H
#define MPAVS_DAEMON_CONFIG_TABLE_H

#include "common/config.h"

#include <stdio.h>

typedef enum { DCF_STRING, DCF_UINT, DCF_BOOL, DCF_OBJECT, DCF_ARRAY, DCF_ANY } dcf_type;

typedef struct {
    const char *path;    /* see above */
    dcf_type type;       /* DCF_UINT: a JSON integer ≥ 0 or a decimal string */
    bool required;
    const char *def;     /* the default as the reference shows it (text), NULL: none */
    const char *example; /* a JSON value for the template, NULL: the field is left out of it */
    const char *check;   /* the validation the loader applies, as text ("1..64"), or NULL */
    const char *doc;     /* one sentence */
} dcf_field;

typedef struct {
    const char *daemon; /* "mpavs-prover" */
    const dcf_field *fields;
    size_t nfields;
} dcf_table;

/**
 * Apply the case rule and the unknown-key rule to c's document (every object the table
 * describes, nested objects and arrays of objects included) and check that every field has its
 * type (null counts as absent) and every required field is there (required members of an
 * optional object only when the object is). Errors go to c; warnings (unknown keys), one per
 * line, to warnings (cap bytes, NUL-terminated; may be NULL). Returns the number of warnings.
 */
size_t dcf_apply(dconf *c, const dcf_table *t, char *warnings, size_t cap);
/** Print the configuration template: a JSON object of every field with an example. */
void dcf_print_template(FILE *f, const dcf_table *t);
/** Print the reference as a Markdown table (field, type, required, default, check, meaning). */
void dcf_print_reference(FILE *f, const dcf_table *t);
/** The field at path, or NULL. */
const dcf_field *dcf_find(const dcf_table *t, const char *path);

#endif
