/*
 * A plain single-threaded epoll HTTP/1.1 "plaintext" server (the TechEmpower test): the practical
 * limit the plaintext benchmark compares against (bench/plaintext-load.sh, started through
 * bench/servers.sh plaintext c PORT).
 *
 *   plaintext_server PORT
 *
 * Listens on 127.0.0.1:PORT and exits 0 on SIGTERM or SIGINT. Answers as jasyncio's example
 * (examples/.../net/PlaintextServer.java) does, byte for byte apart from the Server header:
 * GET /plaintext gets 200 with "Hello, World!", Server, Date, Content-Type: text/plain and
 * Content-Length: 13; other paths 404; other methods on /plaintext 405; Connection: close (or
 * HTTP/1.0) closes after the response; a body announced by Content-Length is skipped;
 * Transfer-Encoding gets 501, a head over 8 KiB 431, anything malformed 400, each closing.
 *
 * Level-triggered and non-blocking. Each readable connection is read once (up to 64 KiB); every
 * complete request in it is parsed in place and its response, a prepared template, copied into
 * one output buffer, sent with one send() per read: 16 pipelined requests cost one recv and one
 * send. The start of a request split between reads is kept in the connection. What the socket
 * does not take is kept too, and the connection then waits for EPOLLOUT instead of EPOLLIN until
 * it is drained (a client that does not read cannot make the server buffer without bound). The
 * templates carry the date and are rebuilt when the second changes, checked once per
 * epoll_wait return (a clock read in the vDSO, no system call).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RECV_SIZE 65536
#define OUT_SIZE 65536
#define MAX_HEAD 8192
#define MAX_EVENTS 256

#define INCOMPLETE (-1)
#define MALFORMED (-2)

enum kind { OK, NOT_FOUND, METHOD_NOT_ALLOWED, BAD_REQUEST, TOO_LARGE, NOT_IMPLEMENTED, KINDS };

struct conn {
    int fd;
    int closing;          /* a response that closes the connection is queued */
    size_t partial_len;   /* bytes of a split request head kept in partial */
    long long body_to_skip;
    char *pending;        /* unsent response bytes (malloc'd), pending_off..pending_len */
    size_t pending_off, pending_len, pending_cap;
    char partial[MAX_HEAD];
};

/* What parse() found in the last complete head. */
struct head {
    int kind;
    int close;
    long long content_length;
};

static volatile sig_atomic_t stop_requested;
static char templates[KINDS][2][512];
static size_t template_len[KINDS][2];
static size_t longest_template;
static time_t templates_second = -1;
static char in_buf[RECV_SIZE];
static char out_buf[OUT_SIZE];
static size_t out_len;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* Rebuilds every response for the current second. */
static void refresh_templates(time_t now) {
    static const char *status[KINDS] = {"200 OK", "404 Not Found", "405 Method Not Allowed", "400 Bad Request",
                                        "431 Request Header Fields Too Large", "501 Not Implemented"};
    static const char *body[KINDS] = {"Hello, World!", "Not Found", "Method Not Allowed", "Bad Request",
                                      "Request Header Fields Too Large", "Not Implemented"};
    char date[64];
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    longest_template = 0;
    for (int k = 0; k < KINDS; k++) {
        for (int close = 0; close < 2; close++) {
            int n = snprintf(templates[k][close], sizeof templates[k][close],
                             "HTTP/1.1 %s\r\nServer: c-epoll\r\nDate: %s\r\nContent-Type: text/plain\r\n"
                             "Content-Length: %zu\r\n%s%s\r\n%s",
                             status[k], date, strlen(body[k]), k == METHOD_NOT_ALLOWED ? "Allow: GET\r\n" : "",
                             close ? "Connection: close\r\n" : "", body[k]);
            template_len[k][close] = (size_t)n;
            if ((size_t)n > longest_template) {
                longest_template = (size_t)n;
            }
        }
    }
    templates_second = now;
}

/* RFC 9110's tchar: what a method or a header name is made of; a table, filled by main(). */
static unsigned char token_chars[256];

static void init_token_chars(void) {
    for (int c = 33; c < 127; c++) {
        token_chars[c] = strchr("\"(),/:;<=>?@[\\]{}", c) == NULL;
    }
}

static int is_token_char(unsigned char c) {
    return token_chars[c];
}

/* Whether b[0..len) is lower (in lower case) ignoring ASCII case. */
static int name_is(const char *b, size_t len, const char *lower) {
    size_t n = strlen(lower);
    if (len != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if ((b[i] | 0x20) != lower[i]) {
            return 0;
        }
    }
    return 1;
}

/* Whether the Connection header's value b[0..len) lists "close". */
static int has_close_token(const char *b, size_t len) {
    size_t i = 0;
    while (i < len) {
        while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == ',')) {
            i++;
        }
        size_t start = i;
        while (i < len && b[i] != ',') {
            i++;
        }
        size_t end = i;
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        if (name_is(b + start, end - start, "close")) {
            return 1;
        }
    }
    return 0;
}

/*
 * Parses one request head at b[0..len). Returns the length of the head (through its empty
 * line), INCOMPLETE, or MALFORMED; fills h for a complete one.
 */
static long parse(const char *b, size_t len, struct head *h) {
    static const char version[] = "HTTP/1.1\r\n";
    size_t i = 0, sp1, sp2;
    for (; i < len && b[i] != ' '; i++) {
        if (!is_token_char((unsigned char)b[i])) {
            return MALFORMED;
        }
    }
    if (i == len) {
        return INCOMPLETE;
    }
    if (i == 0) {
        return MALFORMED;
    }
    sp1 = i;
    for (i = sp1 + 1; i < len && b[i] != ' '; i++) {
        if ((unsigned char)b[i] <= ' ' || b[i] == 127) {
            return MALFORMED;
        }
    }
    if (i == len) {
        return INCOMPLETE;
    }
    if (i == sp1 + 1) {
        return MALFORMED;
    }
    sp2 = i;
    size_t v = sp2 + 1;
    for (i = 0; i < 10 && v + i < len; i++) {
        if (i != 7 && b[v + i] != version[i]) {
            return MALFORMED;
        }
    }
    if (i < 10) {
        return INCOMPLETE;
    }
    char minor = b[v + 7];
    if (minor != '0' && minor != '1') {
        return MALFORMED;
    }
    int get = sp1 == 3 && memcmp(b, "GET", 3) == 0;
    int plaintext = sp2 - sp1 - 1 == 10 && memcmp(b + sp1 + 1, "/plaintext", 10) == 0;
    int kind = plaintext ? (get ? OK : METHOD_NOT_ALLOWED) : NOT_FOUND;
    int close = minor == '0';
    long long length = 0;
    int saw_length = 0;
    size_t line = v + 10;
    for (;;) {
        if (line >= len) {
            return INCOMPLETE;
        }
        char first = b[line];
        if (first == '\r') {
            if (line + 1 >= len) {
                return INCOMPLETE;
            }
            if (b[line + 1] != '\n') {
                return MALFORMED;
            }
            h->kind = kind;
            h->close = close;
            h->content_length = length;
            return (long)(line + 2);
        }
        if (first == ' ' || first == '\t') {
            return MALFORMED; /* obsolete line folding */
        }
        const char *nl = memchr(b + line, '\n', len - line);
        if (nl == NULL) {
            return INCOMPLETE;
        }
        size_t eol = (size_t)(nl - b);
        size_t colon = line;
        while (colon < eol && b[colon] != ':') {
            if (!is_token_char((unsigned char)b[colon])) {
                return MALFORMED;
            }
            colon++;
        }
        if (colon == eol || colon == line || b[eol - 1] != '\r') {
            return MALFORMED;
        }
        char f = (char)(first | 0x20);
        if (f == 'c' || f == 't') { /* only three headers matter here */
            size_t vs = colon + 1, ve = eol - 1;
            while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
                vs++;
            }
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            size_t name_len = colon - line;
            if (name_is(b + line, name_len, "connection")) {
                close |= has_close_token(b + vs, ve - vs);
            } else if (name_is(b + line, name_len, "content-length")) {
                if (vs == ve || ve - vs > 18) {
                    return MALFORMED;
                }
                long long n = 0;
                for (size_t k = vs; k < ve; k++) {
                    if (b[k] < '0' || b[k] > '9') {
                        return MALFORMED;
                    }
                    n = n * 10 + (b[k] - '0');
                }
                if (saw_length && n != length) {
                    return MALFORMED;
                }
                saw_length = 1;
                length = n;
            } else if (name_is(b + line, name_len, "transfer-encoding")) {
                kind = NOT_IMPLEMENTED;
                close = 1;
            }
        }
        line = eol + 1;
    }
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

static int set_events(int ep, struct conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Appends bytes to the connection's unsent output. Returns 0, or -1 when out of memory. */
static int keep_pending(struct conn *c, const char *p, size_t n) {
    if (c->pending_len + n > c->pending_cap) {
        size_t cap = c->pending_cap ? c->pending_cap : OUT_SIZE;
        while (cap < c->pending_len + n) {
            cap *= 2;
        }
        char *grown = realloc(c->pending, cap);
        if (grown == NULL) {
            return -1;
        }
        c->pending = grown;
        c->pending_cap = cap;
    }
    memcpy(c->pending + c->pending_len, p, n);
    c->pending_len += n;
    return 0;
}

/* Sends what is pending; returns 1 when all of it went, 0 when the socket is full, -1 on error. */
static int flush_pending(struct conn *c) {
    while (c->pending_off < c->pending_len) {
        ssize_t n = send(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->pending_off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        } else {
            return -1;
        }
    }
    c->pending_off = 0;
    c->pending_len = 0;
    return 1;
}

/*
 * Sends out_buf (the batch so far): straight from out_buf when nothing is pending, the rest kept.
 * Returns 0, or -1 when the connection failed.
 */
static int send_out(struct conn *c) {
    size_t off = 0;
    if (out_len == 0) {
        return 0;
    }
    if (c->pending_len == 0) {
        while (off < out_len) {
            ssize_t n = send(c->fd, out_buf + off, out_len - off, MSG_NOSIGNAL);
            if (n > 0) {
                off += (size_t)n;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                break;
            } else {
                return -1;
            }
        }
    }
    int r = off < out_len ? keep_pending(c, out_buf + off, out_len - off) : 0;
    out_len = 0;
    return r;
}

/* Adds one response to the batch, sending the batch first if the buffer is full. */
static int answer(struct conn *c, int kind, int close) {
    if (OUT_SIZE - out_len < longest_template && send_out(c) < 0) {
        return -1;
    }
    memcpy(out_buf + out_len, templates[kind][close], template_len[kind][close]);
    out_len += template_len[kind][close];
    if (close) {
        c->closing = 1;
    }
    return 0;
}

/* Answers every complete request in in_buf[0..n). Returns 0, or -1 when the connection failed. */
static int serve(struct conn *c, size_t n) {
    size_t pos = 0;
    struct head h;
    if (c->partial_len > 0) {
        /* Add to the kept start of a request until its head is complete. */
        size_t had = c->partial_len;
        size_t take = n < MAX_HEAD - had ? n : MAX_HEAD - had;
        memcpy(c->partial + had, in_buf, take);
        c->partial_len = had + take;
        long end = parse(c->partial, c->partial_len, &h);
        if (end == INCOMPLETE) {
            return c->partial_len >= MAX_HEAD ? answer(c, TOO_LARGE, 1) : 0;
        }
        c->partial_len = 0;
        if (end == MALFORMED) {
            return answer(c, BAD_REQUEST, 1);
        }
        if (answer(c, h.kind, h.close) < 0) {
            return -1;
        }
        c->body_to_skip = h.content_length;
        pos = (size_t)end - had; /* the head ended inside the new bytes */
    }
    while (pos < n && !c->closing) {
        if (c->body_to_skip > 0) {
            size_t skip = (size_t)c->body_to_skip < n - pos ? (size_t)c->body_to_skip : n - pos;
            c->body_to_skip -= (long long)skip;
            pos += skip;
            continue;
        }
        long end = parse(in_buf + pos, n - pos, &h);
        if (end == INCOMPLETE) {
            if (n - pos >= MAX_HEAD) {
                return answer(c, TOO_LARGE, 1);
            }
            memcpy(c->partial, in_buf + pos, n - pos);
            c->partial_len = n - pos;
            return 0;
        }
        if (end == MALFORMED) {
            return answer(c, BAD_REQUEST, 1);
        }
        if (end > MAX_HEAD) {
            return answer(c, TOO_LARGE, 1);
        }
        if (answer(c, h.kind, h.close) < 0) {
            return -1;
        }
        c->body_to_skip = h.content_length;
        pos += (size_t)end;
    }
    return 0;
}

/* After a batch: wait for EPOLLOUT while output is pending, close once a closing response went. */
static void settle(int ep, struct conn *c) {
    if (c->pending_len > 0) {
        if (set_events(ep, c, EPOLLOUT) < 0) {
            close_conn(ep, c);
        }
    } else if (c->closing) {
        close_conn(ep, c);
    }
}

static void on_readable(int ep, struct conn *c) {
    ssize_t n;
    do {
        n = recv(c->fd, in_buf, RECV_SIZE, 0);
    } while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        close_conn(ep, c);
        return;
    }
    if (n < 0) {
        return;
    }
    out_len = 0;
    if (serve(c, (size_t)n) < 0 || send_out(c) < 0) {
        close_conn(ep, c);
        return;
    }
    settle(ep, c);
}

static void on_writable(int ep, struct conn *c) {
    int r = flush_pending(c);
    if (r < 0) {
        close_conn(ep, c);
    } else if (r == 1) {
        if (c->closing) {
            close_conn(ep, c);
        } else if (set_events(ep, c, EPOLLIN) < 0) {
            close_conn(ep, c);
        }
    }
}

static void on_acceptable(int ep, int lfd) {
    for (int i = 0; i < 1024; i++) { /* bounded: the rest wait for the next wake-up */
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
                perror("plaintext_server: accept4");
            }
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        memset(c, 0, offsetof(struct conn, partial));
        c->fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            perror("plaintext_server: epoll_ctl");
            close(fd);
            free(c);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    char *end;
    long port = strtol(argv[1], &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) {
        fprintf(stderr, "plaintext_server: bad port '%s'\n", argv[1]);
        return 2;
    }

    init_token_chars();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        perror("plaintext_server: socket");
        return 1;
    }
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("plaintext_server: bind");
        return 1;
    }
    if (listen(lfd, 1024) < 0) {
        perror("plaintext_server: listen");
        return 1;
    }

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        perror("plaintext_server: epoll_create1");
        return 1;
    }
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) < 0) {
        perror("plaintext_server: epoll_ctl");
        return 1;
    }
    fprintf(stderr, "plaintext_server: C epoll on 127.0.0.1:%ld\n", port);

    struct epoll_event events[MAX_EVENTS];
    while (!stop_requested) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("plaintext_server: epoll_wait");
            return 1;
        }
        time_t now = time(NULL);
        if (now != templates_second) {
            refresh_templates(now);
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                on_acceptable(ep, lfd);
            } else if (c->pending_len > 0) {
                on_writable(ep, c);
            } else {
                on_readable(ep, c);
            }
        }
    }
    /* Connections are left to the kernel to close at exit. */
    close(ep);
    close(lfd);
    return 0;
}
