/* testutil.h - small helpers shared by the cmocka tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

/* Deletes dir and everything below it (no-op when missing). */
void testutil_remove_tree(const char *dir);

#endif
