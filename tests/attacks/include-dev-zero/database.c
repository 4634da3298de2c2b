/* include-dev-zero (should FAIL build at once): a preprocessor told to
 * include /dev/zero reads for ever. */
#include "/dev/zero"
