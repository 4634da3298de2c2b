/* disk-filler (should FAIL, bounded): writes up to 3 GiB, in 384 files of
 * 8 MiB, into the working directory. */
#include "data_service.h"

#include <stdio.h>
#include <string.h>

static char chunk[1 << 20];

void save_data(int thread_id)
{
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 384; i++) {
        char name[32];
        snprintf(name, sizeof name, "fill_%d_%d.txt", thread_id, i);
        FILE *out = fopen(name, "w");
        if (out == NULL)
            return;
        for (int mb = 0; mb < 8; mb++)
            if (fwrite(chunk, 1, sizeof chunk, out) != sizeof chunk)
                break;
        fclose(out);
    }
}
