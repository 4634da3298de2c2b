/* include-solution (should FAIL build): compiles the kit's reference
 * solution as the student's own, through the harness directory's quoted
 * include path. */
#include "../../../solutions/01-lost-update/database.c"
