/*
 * The echo load client of bench/echo-load.sh: N connections to 127.0.0.1:PORT, each with at
 * most one message of S bytes in flight, for a warm-up of W seconds and then a measured window
 * of D seconds.
 *
 *   pingpong -p PORT [-c CONNS] [-s SIZE] [-d SECONDS] [-w SECONDS] [-r RATE] [-P PID]
 *
 * Saturated (no -r, or -r 0): each connection sends its next message as soon as the whole echo
 * of the previous one arrived; latency is from the send. Fixed offered rate (-r R): message k of
 * the run is due at start + k/R seconds (R requests per second in total); it goes out on an idle
 * connection as soon as it is due and one is free, and its latency is measured from the time it
 * was due, not from when it went out, so a server that falls behind is charged for the queueing
 * it causes (no coordinated omission). A timerfd paces the sends, so they are spread evenly
 * rather than batched per millisecond. send_lag_mean_us and send_lag_max_us say how late the
 * client itself sent the window's messages (waiting for a free connection included): latency
 * well above them is the server's.
 *
 * Every echoed byte is checked against what was sent (pseudo-random bytes from an offset that
 * changes with the connection and the message; sending and checking are a send and a memcmp
 * from one array, so the client spends its core on the system calls). Connections come free in
 * first-in first-out order, so a fixed rate spreads over all of them.
 *
 * With -P PID the client reads utime+stime of that process from /proc/PID/stat at the start and
 * the end of the measured window and reports the server's CPU time per completed request, its
 * own CPU time (client_cpu_ms) and the rest of the machine's busy time over the window
 * (other_cpu_ms: /proc/stat's busy ticks on all cores less server and client; it includes
 * interrupt and steal time charged to neither, and shows whether anything else ran).
 *
 * Prints one line on stdout, of this form (the figures are made up):
 *   mode=rate offered=20000 conns=50 size=1024 window_s=10.000 requests=200001 req_s=20000.1
 *   p50_us=31.2 p99_us=60.4 p999_us=110.0 max_us=900.1 errors=0 backlog=0
 *   server_cpu_ms=3510 server_cpu_us_per_req=17.55 client_cpu_ms=4200 other_cpu_ms=150
 * (on one line). Exit status 0 when errors=0, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 10000
#define MAX_SIZE (1 << 20)
#define MAX_SAMPLES (64u * 1024u * 1024u) /* 256 MiB of samples at most; beyond, not recorded */
#define TIMER_TAG UINT64_MAX

struct conn {
    int fd;
    int id;
    int dead;
    uint32_t seq;      /* number of the message in flight (or the last one) */
    size_t sent;       /* bytes of the message in flight written so far */
    size_t received;   /* bytes of its echo read so far */
    int in_flight;
    int64_t due_ns;    /* when the message was due (rate mode) or sent (saturated) */
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Pseudo-random bytes; message `seq` of connection `c` is NOISE_SPAN-periodic noise starting at
 * an offset that changes with both, so its bytes are sent from and compared with this array. */
#define NOISE_SPAN 4096
static uint8_t noise[MAX_SIZE + NOISE_SPAN];

static void fill_noise(void) {
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise[i] = (uint8_t)(x >> 32);
    }
}

static const uint8_t *message(const struct conn *c) {
    return noise + ((uint32_t)c->id * 1031u + c->seq * 4099u) % NOISE_SPAN;
}

/* The run's state. */
static struct conn *conns;
static int nconns;
static size_t msg_size;
static uint8_t *recv_buf;
static uint32_t *samples; /* latencies of the measured window, in ns (saturating) */
static size_t nsamples, samples_cap;
static uint64_t completed_in_window;
static uint64_t errors;
static int64_t window_start_ns, window_end_ns;
static int ep;

static void record(int64_t latency_ns) {
    if (nsamples == samples_cap) {
        if (samples_cap >= MAX_SAMPLES) {
            return;
        }
        size_t cap = samples_cap ? samples_cap * 2 : 1u << 16;
        uint32_t *grown = realloc(samples, cap * sizeof *samples);
        if (grown == NULL) {
            return;
        }
        samples = grown;
        samples_cap = cap;
    }
    samples[nsamples++] = latency_ns > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)latency_ns;
}

static void kill_conn(struct conn *c, const char *why) {
    if (!c->dead) {
        errors++;
        if (errors <= 5) {
            fprintf(stderr, "pingpong: connection %d: %s\n", c->id, why);
        }
        c->dead = 1;
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
}

static void update_events(struct conn *c) {
    struct epoll_event ev = {.events = EPOLLIN | (c->sent < msg_size ? EPOLLOUT : 0u),
                             .data.u64 = (uint64_t)c->id};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is left of the message in flight; arms EPOLLOUT when the socket is full. */
static void write_some(struct conn *c) {
    int was_partial = c->sent > 0;
    while (c->sent < msg_size) {
        ssize_t n = send(c->fd, message(c) + c->sent, msg_size - c->sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!was_partial) {
                update_events(c);
            }
            return;
        } else {
            kill_conn(c, n < 0 ? strerror(errno) : "send returned 0");
            return;
        }
    }
    if (was_partial) {
        update_events(c);
    }
}

static void start_message(struct conn *c, int64_t due_ns) {
    c->seq++;
    c->sent = 0;
    c->received = 0;
    c->in_flight = 1;
    c->due_ns = due_ns;
    write_some(c);
}

/* Reads echo bytes; returns 1 when the message in flight completed. */
static int read_some(struct conn *c) {
    for (int rounds = 0; rounds < 64; rounds++) {
        size_t want = msg_size - c->received;
        if (want == 0 || !c->in_flight) {
            /* Bytes nobody asked for would be a server bug: read them to report it. */
            want = msg_size;
        }
        ssize_t n = recv(c->fd, recv_buf, want, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        }
        if (n <= 0) {
            kill_conn(c, n == 0 ? "closed by the server" : strerror(errno));
            return 0;
        }
        if (!c->in_flight || c->received + (size_t)n > c->sent) {
            kill_conn(c, "received bytes that were not sent");
            return 0;
        }
        if (memcmp(recv_buf, message(c) + c->received, (size_t)n) != 0) {
            kill_conn(c, "echoed bytes differ from the sent ones");
            return 0;
        }
        c->received += (size_t)n;
        if (c->received == msg_size) {
            c->in_flight = 0;
            return 1;
        }
    }
    return 0;
}

static long long server_cpu_ticks(long pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    /* Fields after the command name, which ends at the last ')': state is field 3, utime 14. */
    char *p = strrchr(buf, ')');
    if (p == NULL) {
        return -1;
    }
    p += 2;
    unsigned long long utime = 0, stime = 0;
    int field = 3;
    char *save = NULL;
    for (char *tok = strtok_r(p, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        if (field == 14) {
            utime = strtoull(tok, NULL, 10);
        } else if (field == 15) {
            stime = strtoull(tok, NULL, 10);
            return (long long)(utime + stime);
        }
        field++;
    }
    return -1;
}

/* Busy clock ticks of the whole machine (all but idle and iowait), from /proc/stat. */
static long long machine_busy_ticks(void) {
    char buf[512];
    int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    unsigned long long v[8] = {0};
    if (sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5], &v[6], &v[7]) != 8) {
        return -1;
    }
    /* user nice system idle iowait irq softirq steal */
    return (long long)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static double percentile_us(double q) {
    if (nsamples == 0) {
        return 0.0;
    }
    size_t rank = (size_t)(q * (double)nsamples);
    if (rank >= nsamples) {
        rank = nsamples - 1;
    }
    return samples[rank] / 1000.0;
}

static int connect_one(const struct sockaddr_in *addr) {
    for (int attempt = 0; attempt < 100; attempt++) { /* up to ~5 s while the server starts */
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            perror("pingpong: socket");
            return -1;
        }
        if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            return fd;
        }
        int err = errno;
        close(fd);
        if (err != ECONNREFUSED) {
            fprintf(stderr, "pingpong: connect: %s\n", strerror(err));
            return -1;
        }
        usleep(50000);
    }
    fprintf(stderr, "pingpong: connect: nothing listening on 127.0.0.1:%d\n", ntohs(addr->sin_port));
    return -1;
}

static void usage(const char *prog) {
    fprintf(stderr,
            "usage: %s -p PORT [-c CONNS=50] [-s SIZE=1024] [-d SECONDS=10] [-w SECONDS=2]\n"
            "          [-r RATE (req/s in total; 0 = saturated)] [-P SERVER_PID]\n",
            prog);
}

int main(int argc, char **argv) {
    long port = 0, server_pid = 0;
    double duration = 10, warmup = 2, rate = 0;
    long nc = 50, size = 1024;
    int opt;
    while ((opt = getopt(argc, argv, "p:c:s:d:w:r:P:h")) != -1) {
        switch (opt) {
        case 'p': port = strtol(optarg, NULL, 10); break;
        case 'c': nc = strtol(optarg, NULL, 10); break;
        case 's': size = strtol(optarg, NULL, 10); break;
        case 'd': duration = strtod(optarg, NULL); break;
        case 'w': warmup = strtod(optarg, NULL); break;
        case 'r': rate = strtod(optarg, NULL); break;
        case 'P': server_pid = strtol(optarg, NULL, 10); break;
        default: usage(argv[0]); return 2;
        }
    }
    if (optind != argc || port <= 0 || port > 65535 || nc < 1 || nc > MAX_CONNS || size < 1 ||
        size > MAX_SIZE || !(duration > 0 && duration <= 3600) || !(warmup >= 0 && warmup <= 3600) ||
        !(rate >= 0 && rate <= 1e8)) {
        usage(argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    fill_noise();
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    nconns = (int)nc;
    msg_size = (size_t)size;
    conns = calloc((size_t)nconns, sizeof *conns);
    recv_buf = malloc(msg_size);
    /* Rate mode: the free connections, first free first used, so the load spreads over all. */
    int *idle = malloc((size_t)nconns * sizeof *idle);
    size_t idle_head = 0, idle_tail = 0; /* ring of nconns slots; nidle = tail - head */
    if (conns == NULL || recv_buf == NULL || idle == NULL) {
        fprintf(stderr, "pingpong: out of memory\n");
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (ep < 0 || tfd < 0) {
        perror("pingpong: epoll/timerfd");
        return 1;
    }
    struct epoll_event tev = {.events = EPOLLIN, .data.u64 = TIMER_TAG};
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int nidle = 0;
    for (int i = 0; i < nconns; i++) {
        conns[i].id = i;
        conns[i].fd = connect_one(&addr);
        if (conns[i].fd < 0) {
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
        idle[idle_tail++ % (size_t)nconns] = i;
        nidle++;
    }

    const int64_t start = now_ns();
    window_start_ns = start + (int64_t)(warmup * 1e9);
    window_end_ns = window_start_ns + (int64_t)(duration * 1e9);
    const double interval_ns = rate > 0 ? 1e9 / rate : 0;
    uint64_t next_k = 0; /* rate mode: the next message to send */
    int64_t lag_sum_ns = 0, lag_max_ns = 0; /* rate mode: send time less due time, in the window */
    uint64_t lag_count = 0;
    long long cpu_start = -1, cpu_end = -1, self_start = -1, self_end = -1, busy_start = -1,
              busy_end = -1;
    int window_open = 0;

    if (rate == 0) {
        for (int i = 0; i < nconns; i++) {
            start_message(&conns[i], now_ns());
        }
        nidle = 0;
    }

    struct epoll_event events[256];
    int64_t now = now_ns();
    while (now < window_end_ns) {
        if (!window_open && now >= window_start_ns) {
            window_open = 1;
            if (server_pid > 0) {
                cpu_start = server_cpu_ticks(server_pid);
                self_start = server_cpu_ticks((long)getpid());
                busy_start = machine_busy_ticks();
            }
        }
        int timeout_ms;
        if (rate > 0) {
            /* Send everything due while connections are free, then wake at the next due time. */
            int64_t due = start + (int64_t)((double)next_k * interval_ns);
            while (due <= now && nidle > 0) {
                struct conn *c = &conns[idle[idle_head++ % (size_t)nconns]];
                nidle--;
                if (!c->dead) {
                    if (due >= window_start_ns) {
                        int64_t lag = now - due; /* how late the client itself sent it */
                        lag_sum_ns += lag;
                        lag_max_ns = lag > lag_max_ns ? lag : lag_max_ns;
                        lag_count++;
                    }
                    start_message(c, due);
                    next_k++;
                    due = start + (int64_t)((double)next_k * interval_ns);
                }
            }
            if (due > now) {
                struct itimerspec its = {.it_value = {.tv_sec = due / 1000000000, .tv_nsec = due % 1000000000}};
                timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
            }
            /* Otherwise a message is overdue and waits for a connection to come free. */
        }
        int64_t until_edge = (window_open ? window_end_ns : window_start_ns) - now;
        timeout_ms = (int)((until_edge + 999999) / 1000000);
        int n = epoll_wait(ep, events, 256, timeout_ms);
        if (n < 0 && errno != EINTR) {
            perror("pingpong: epoll_wait");
            return 1;
        }
        now = now_ns();
        for (int i = 0; i < n; i++) {
            if (events[i].data.u64 == TIMER_TAG) {
                uint64_t expirations;
                if (read(tfd, &expirations, sizeof expirations) < 0) {
                    /* EAGAIN: already consumed */
                }
                continue;
            }
            struct conn *c = &conns[events[i].data.u64];
            if (c->dead) {
                continue;
            }
            if ((events[i].events & EPOLLOUT) && c->in_flight && c->sent < msg_size) {
                write_some(c);
            }
            if (!c->dead && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && read_some(c)) {
                if (now >= window_start_ns && now < window_end_ns) {
                    completed_in_window++;
                    record(now - c->due_ns);
                }
                if (rate > 0) {
                    idle[idle_tail++ % (size_t)nconns] = c->id;
                    nidle++;
                } else {
                    start_message(c, now);
                }
            }
        }
    }
    int64_t end = now_ns();
    if (server_pid > 0) {
        cpu_end = server_cpu_ticks(server_pid);
        self_end = server_cpu_ticks((long)getpid());
        busy_end = machine_busy_ticks();
    }

    uint64_t backlog = 0;
    if (rate > 0) {
        uint64_t due_by_end = (uint64_t)((double)(window_end_ns - start) / interval_ns);
        backlog = due_by_end > next_k ? due_by_end - next_k : 0;
    }
    qsort(samples, nsamples, sizeof *samples, cmp_u32);
    double window_s = (double)(end - window_start_ns) / 1e9;
    printf("mode=%s offered=%.0f conns=%d size=%zu window_s=%.3f requests=%llu req_s=%.1f "
           "p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%llu backlog=%llu",
           rate > 0 ? "rate" : "saturated", rate, nconns, msg_size, window_s,
           (unsigned long long)completed_in_window, (double)completed_in_window / window_s,
           percentile_us(0.50), percentile_us(0.99), percentile_us(0.999),
           nsamples ? samples[nsamples - 1] / 1000.0 : 0.0, (unsigned long long)errors,
           (unsigned long long)backlog);
    if (rate > 0) {
        printf(" send_lag_mean_us=%.1f send_lag_max_us=%.1f",
               lag_count ? (double)lag_sum_ns / (double)lag_count / 1000.0 : 0.0, lag_max_ns / 1000.0);
    }
    if (server_pid > 0) {
        if (cpu_start >= 0 && cpu_end >= cpu_start && completed_in_window > 0) {
            double ms = (double)(cpu_end - cpu_start) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
            double tick_ms = 1000.0 / (double)sysconf(_SC_CLK_TCK);
            printf(" server_cpu_ms=%.0f server_cpu_us_per_req=%.2f client_cpu_ms=%.0f", ms,
                   ms * 1000.0 / (double)completed_in_window,
                   (double)(self_end - self_start) * tick_ms);
            if (busy_start >= 0 && busy_end >= busy_start) {
                printf(" other_cpu_ms=%.0f",
                       (double)((busy_end - busy_start) - (cpu_end - cpu_start) - (self_end - self_start)) * tick_ms);
            }
        } else {
            printf(" server_cpu_ms=NA server_cpu_us_per_req=NA");
        }
    }
    printf("\n");
    fflush(stdout);
    return errors == 0 ? 0 : 1;
}
