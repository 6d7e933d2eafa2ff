/*
 * scenario_internal: what the scenario_*.c files of this folder share and
 * nobody else calls (double-underscore names, as for uv__).
 */
#ifndef LPSIM_SCENARIO_INTERNAL_H
#define LPSIM_SCENARIO_INTERNAL_H

#include "scenarios/scenario.h"

/* scenario__convert() flag: skip duplicate-name and reference checks. */
#define SCENARIO__NO_NAME_CHECKS 1u

/*
 * scenario_convert() with flags; adds to *name_work the number of names
 * the name checks expanded (a measure of their cost).
 */
struct scenario *scenario__convert(const struct ytree *t, struct diag *d, unsigned flags,
                                   long *name_work);

/*
 * Duplicate cluster names across the scenario, duplicate host and VM names
 * within each cluster entry, and the references of VM pins and rules:
 * resolves vm->pin_entry/pin_number and rule->vms. Needs the counts within
 * the limits (nothing expanded is kept: names are regenerated). Adds the
 * names expanded to *work. Returns 0 or -ENOMEM.
 */
int scenario__check_names(struct scenario *s, struct diag *d, long *work);

/*
 * Sets twice[i] when values[i] (NULL: none) equals an earlier value, by
 * sorting: O(n log n). Returns how many do, or -ENOMEM.
 */
int scenario__duplicates(const char *const *values, size_t n, bool *twice);

/*
 * Reports "sweep value 'V' is listed twice" at every value of vals (a
 * sequence; values[i] its converted text, NULL when it did not convert)
 * equal to an earlier one, in the order of the values. O(V log V).
 * Returns the number of such values, or -ENOMEM.
 */
int scenario__sweep_duplicates(const struct ynode *vals, const char *const *values,
                               struct diag *d);

/* The closest of names[0..n) to s by Damerau-Levenshtein distance, or NULL. */
const char *scenario__suggest(const char *s, size_t len, const char *const *names, size_t n);

/* Sets every figure of hw to its default (scenario_defaults.c). */
void scenario__hardware_defaults(struct scenario_hardware *hw);

#endif
