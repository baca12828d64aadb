"""Give large freed blocks back to the operating system at once (glibc's malloc)."""
import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
THRESHOLD = 1 << 20


def return_large_allocations() -> bool:
    """Serve allocations of 1 MiB or more by mmap, so each is unmapped when freed; True where glibc allows it.

    argon2 takes 19 MiB for each password hash. glibc's threshold is dynamic: once such a block has been
    freed, later ones come from the thread's malloc arena, which keeps them. Each gunicorn thread that
    ever hashed a password then held 19 MiB more for good (the soak saw a worker grow by 2 x 19 MiB in the
    middle of a run). Setting the threshold turns the dynamic one off.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD))
    except (OSError, AttributeError):  # not glibc (musl, macOS): their malloc keeps its own policy
        return False
