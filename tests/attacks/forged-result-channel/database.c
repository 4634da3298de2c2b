/* forged-result-channel (should FAIL result: "did not come through the
 * harness's own writer"): keeps the race and makes stdout write to the
 * result descriptor (3) to claim the right value. */
#include "database.h"

#include <stdio.h>

static long value;
static long calls;

void database_update(void)
{
    long local_copy = value;
    local_copy += 1;
    simulated_delay();
    value = local_copy;
    calls++;
}

long database_value(void)
{
    stdout->_fileno = 3;
    printf("value=%ld\n", calls);
    fflush(stdout);
    return calls;
}
