/* many-files (should FAIL, bounded): leaves 4000 small files with long
 * names in the working directory, more than one command line could name,
 * hoping the grader breaks while it reads them. */
#include "data_service.h"

#include <stdio.h>

void save_data(int thread_id)
{
    for (int i = 0; i < 4000; i++) {
        char name[200];
        snprintf(name, sizeof name,
                 "many_%d_%04d_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.txt",
                 thread_id, i);
        FILE *out = fopen(name, "w");
        if (out == NULL)
            return;
        fputs("x\n", out);
        fclose(out);
    }
}
