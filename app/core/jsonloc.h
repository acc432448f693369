/* jsonloc.h - where in a JSON text a value sits.
 *
 * cJSON keeps no source positions, so problems found while validating a parsed
 * tree are mapped back to the text by walking it a second time along the same
 * path. Only files with problems pay for this walk.
 */
#ifndef JSONLOC_H
#define JSONLOC_H

#include <stddef.h>

/* Line and column (both 1-based; columns count UTF-8 characters) of byte offset
 * off in text. */
void jsonloc_line_col(const char *text, size_t len, size_t off, int *line, int *col);

/* Finds the value at path in text. path is "$" for the root, else dot-separated keys
 * and [N] indexes without the "$": "blocks[3].items[0]", "items[2].options[1].why".
 * When the path leads to a missing key or index, the position is that of the
 * innermost existing container, so "missing field" problems point at the object
 * that lacks the field. Invalid JSON gives the position where the walk stopped. */
void jsonloc_find(const char *text, size_t len, const char *path, int *line, int *col);

#endif
