/*
 * Test support: temporary folders; see tmpfiles.h.
 */
#include "tmpfiles.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tmp_dir(void)
{
    char tmpl[] = "/tmp/strata-test-XXXXXX";
    if (!mkdtemp(tmpl)) {
        abort();
    }
    return strdup(tmpl);
}

static void make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
}

char *tmp_write(const char *dir, const char *name, const char *text)
{
    char *path;
    if (asprintf(&path, "%s/%s", dir, name) < 0) {
        abort();
    }
    make_parents(path);
    FILE *f = fopen(path, "w");
    if (!f) {
        abort();
    }
    fputs(text, f);
    fclose(f);
    return path;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tmp_remove(char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}
