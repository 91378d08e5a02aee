/*
 * A plain single-threaded epoll echo server: the practical limit the echo benchmarks compare
 * against (bench/echo-load.sh, started through bench/servers.sh echo c PORT).
 *
 *   echo_server PORT
 *
 * Listens on 127.0.0.1:PORT, echoes every byte back on the connection it came from, and exits 0
 * on SIGTERM or SIGINT. Level-triggered and non-blocking: each readable connection is read once
 * (up to 64 KiB) and the bytes written straight back; what the socket does not take is kept in
 * the connection's buffer, and the connection then waits for EPOLLOUT instead of EPOLLIN until
 * the buffer is drained (so a client that does not read cannot make the server buffer without
 * bound). One read and one write per request is what a hand-written C loop costs: the floor.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define MAX_EVENTS 256

struct conn {
    int fd;
    size_t pending_off; /* first unsent byte in buf */
    size_t pending_len; /* bytes still to send, from pending_off */
    char buf[BUF_SIZE];
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

static int set_events(int ep, struct conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends what is pending; returns 1 when all of it went, 0 when the socket is full, -1 on error. */
static int flush_pending(struct conn *c) {
    while (c->pending_len > 0) {
        ssize_t n = send(c->fd, c->buf + c->pending_off, c->pending_len, MSG_NOSIGNAL);
        if (n > 0) {
            c->pending_off += (size_t)n;
            c->pending_len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        } else {
            return -1;
        }
    }
    c->pending_off = 0;
    return 1;
}

static void on_readable(int ep, struct conn *c) {
    ssize_t n;
    do {
        n = recv(c->fd, c->buf, BUF_SIZE, 0);
    } while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        close_conn(ep, c);
        return;
    }
    if (n < 0) {
        return;
    }
    c->pending_off = 0;
    c->pending_len = (size_t)n;
    int r = flush_pending(c);
    if (r < 0) {
        close_conn(ep, c);
    } else if (r == 0 && set_events(ep, c, EPOLLOUT) < 0) {
        close_conn(ep, c);
    }
}

static void on_writable(int ep, struct conn *c) {
    int r = flush_pending(c);
    if (r < 0) {
        close_conn(ep, c);
    } else if (r == 1 && set_events(ep, c, EPOLLIN) < 0) {
        close_conn(ep, c);
    }
}

static void on_acceptable(int ep, int lfd) {
    for (int i = 0; i < 1024; i++) { /* bounded: the rest wait for the next wake-up */
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
                perror("echo_server: accept4");
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
        c->fd = fd;
        c->pending_off = 0;
        c->pending_len = 0;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            perror("echo_server: epoll_ctl");
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
        fprintf(stderr, "echo_server: bad port '%s'\n", argv[1]);
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        perror("echo_server: socket");
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
        perror("echo_server: bind");
        return 1;
    }
    if (listen(lfd, 1024) < 0) {
        perror("echo_server: listen");
        return 1;
    }

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        perror("echo_server: epoll_create1");
        return 1;
    }
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) < 0) {
        perror("echo_server: epoll_ctl");
        return 1;
    }

    struct epoll_event events[MAX_EVENTS];
    while (!stop_requested) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("echo_server: epoll_wait");
            return 1;
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
