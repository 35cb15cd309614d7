/*
 * Test support: a temporary folder with files written from strings.
 */
#ifndef STRATA_TEST_TMPFILES_H
#define STRATA_TEST_TMPFILES_H

/* Creates a new temporary folder; returns its path (static per call site
 * is not needed: the caller frees it with tmp_remove). */
char *tmp_dir(void);

/* Writes `text` to dir/name, creating parent folders; returns the new path. */
char *tmp_write(const char *dir, const char *name, const char *text);

/* Removes the folder and everything in it, then frees `dir`. */
void tmp_remove(char *dir);

#endif
