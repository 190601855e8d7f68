/*
 * wsload: the echo load generator of bench/ (echo-rtt and echo-bulk), in C so that it is not the
 * bottleneck: one thread, epoll, non-blocking sockets, one masked frame built once and sent again and
 * again, replies parsed in place without copies, nothing allocated per message (latencies go into an
 * array sized up front). Each connection is a closed loop: it sends one message, waits for the whole
 * echo, and sends the next. It prints one JSON object in the shape the .NET scenarios print, with its own
 * CPU and the server's over the measured time, so bench/report.py can say which one was the limit.
 *
 *   wsload --mode rtt|bulk --port P [--host 127.0.0.1] [--path /ws/echo] [--connections N]
 *          [--size BYTES] [--warm-up S] [--seconds S] [--server-pid PID]
 *
 * Only loopback: it refuses any other host. Everything ends by itself: a server that stops answering
 * fails the run after a grace period, it never hangs it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 512
#define READ_BUFFER (256 * 1024)

typedef struct {
    int fd;
    size_t send_offset;     /* bytes of the frame written so far; the frame is complete at frame_length */
    int sending;            /* a frame is (partly) written and its echo not yet complete */
    uint64_t sent_at;       /* when the current frame started to go out, ns */
    uint8_t header[14];     /* a reply frame header being assembled */
    int header_have;
    uint64_t payload_left;  /* payload bytes of the current reply frame still to skip */
    uint64_t message_bytes; /* payload bytes of the current reply message so far */
    int frame_fin;
    int frame_opcode;
    int want_out;
} conn_t;

static const char *host = "127.0.0.1";
static const char *path = "/ws/echo";
static int port = 0, connections = 1, size = 32, bulk = 0, server_pid = 0;
static double warm_up = 2, seconds = 10;
static uint8_t *frame;
static size_t frame_length;
static uint32_t *latencies; /* microseconds, one per measured echo */
static size_t latency_count, latency_capacity;
static uint64_t measure_from, measure_to;
static long wrong, broken;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static double own_cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* utime + stime of the server from /proc (USER_HZ is 100 on the Linux this targets); -1 when unknown. */
static double server_cpu_seconds(void) {
    if (server_pid <= 0) return -1;
    char name[64], text[4096];
    snprintf(name, sizeof name, "/proc/%d/stat", server_pid);
    FILE *file = fopen(name, "r");
    if (!file) return -1;
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = 0;
    char *p = strrchr(text, ')');
    if (!p) return -1;
    p += 2;
    unsigned long long utime = 0, stime = 0;
    /* fields after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    return (utime + stime) / 100.0;
}

static void build_frame(void) {
    int opcode = bulk ? 0x2 : 0x1;
    size_t extra = size <= 125 ? 0 : size <= 65535 ? 2 : 8;
    frame_length = 2 + extra + 4 + (size_t)size;
    frame = malloc(frame_length);
    frame[0] = (uint8_t)(0x80 | opcode);
    if (extra == 0) {
        frame[1] = (uint8_t)(0x80 | size);
    } else if (extra == 2) {
        frame[1] = 0x80 | 126;
        frame[2] = (uint8_t)(size >> 8);
        frame[3] = (uint8_t)size;
    } else {
        frame[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++) frame[2 + i] = (uint8_t)((uint64_t)size >> (56 - 8 * i));
    }
    uint8_t *mask = frame + 2 + extra, *payload = mask + 4;
    for (int i = 0; i < 4; i++) mask[i] = (uint8_t)(rand() & 0xFF);
    for (int i = 0; i < size; i++) payload[i] = (uint8_t)((bulk ? rand() : 'w') ^ mask[i & 3]);
}

/* Connects and completes the handshake, blocking (before the measured time); returns the fd or -1. */
static int open_connection(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval timeout = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &address.sin_addr);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) { close(fd); return -1; }
    char request[512];
    int length = snprintf(request, sizeof request,
        "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", path, host, port);
    if (write(fd, request, (size_t)length) != length) { close(fd); return -1; }
    /* Read the response head byte by byte, so that nothing after it is taken from the socket. */
    char head[2048];
    size_t have = 0;
    while (have < sizeof head - 1) {
        ssize_t n = read(fd, head + have, 1);
        if (n <= 0) { close(fd); return -1; }
        have++;
        if (have >= 4 && memcmp(head + have - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[have] = 0;
    if (strncmp(head, "HTTP/1.1 101", 12) != 0) { close(fd); return -1; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void record(uint64_t sent_at, uint64_t done_at) {
    if (sent_at < measure_from || done_at > measure_to) return;
    if (latency_count == latency_capacity) {
        latency_capacity = latency_capacity ? latency_capacity * 2 : 1 << 20;
        latencies = realloc(latencies, latency_capacity * sizeof *latencies);
    }
    latencies[latency_count++] = (uint32_t)((done_at - sent_at) / 1000);
}

/* Writes what is left of the frame; 0 when done or waiting for EPOLLOUT, -1 when the socket broke. */
static int send_frame(int epoll, conn_t *c) {
    while (c->send_offset < frame_length) {
        ssize_t n = write(c->fd, frame + c->send_offset, frame_length - c->send_offset);
        if (n > 0) { c->send_offset += (size_t)n; continue; }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->want_out) {
                struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
                c->want_out = 1;
            }
            return 0;
        }
        return -1;
    }
    if (c->want_out) {
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
        c->want_out = 0;
    }
    return 0;
}

static void start_message(int epoll, conn_t *c, uint64_t now, uint64_t stop_at) {
    if (now >= stop_at) { c->sending = 0; return; }
    c->sending = 1;
    c->sent_at = now;
    c->send_offset = 0;
    if (send_frame(epoll, c) < 0) { broken++; c->sending = 0; }
}

/* Consumes reply bytes: frame headers are assembled, payloads skipped; a whole message starts the next one. */
static int on_bytes(int epoll, conn_t *c, const uint8_t *data, size_t length, uint64_t stop_at) {
    while (length > 0) {
        if (c->payload_left > 0) {
            size_t take = length < c->payload_left ? length : (size_t)c->payload_left;
            c->payload_left -= take;
            data += take;
            length -= take;
        } else {
            c->header[c->header_have++] = *data++;
            length--;
            if (c->header_have < 2) continue;
            int code = c->header[1] & 0x7F;
            int need = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((c->header[1] & 0x80) ? 4 : 0);
            if (c->header_have < need) continue;
            uint64_t payload = (uint64_t)code;
            if (code == 126) payload = ((uint64_t)c->header[2] << 8) | c->header[3];
            if (code == 127) { payload = 0; for (int i = 0; i < 8; i++) payload = (payload << 8) | c->header[2 + i]; }
            c->frame_fin = c->header[0] & 0x80;
            c->frame_opcode = c->header[0] & 0x0F;
            c->header_have = 0;
            c->payload_left = payload;
            if (c->frame_opcode >= 0x8) {
                if (c->frame_opcode == 0x8) return -1; /* the server closed */
                /* A ping or pong: its payload is skipped; the server's keep-alive does not come this soon. */
                continue;
            }
            c->message_bytes += payload;
        }
        if (c->payload_left == 0 && c->header_have == 0 && c->frame_fin && c->frame_opcode < 0x8 && c->sending
            && c->send_offset == frame_length) {
            if (c->message_bytes != (uint64_t)size) { wrong++; return -1; }
            uint64_t now = now_ns();
            record(c->sent_at, now);
            c->message_bytes = 0;
            c->frame_fin = 0;
            start_message(epoll, c, now, stop_at);
        }
    }
    return 0;
}

static int compare(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank, as the .NET scenarios compute it; milliseconds. */
static double percentile(double p) {
    if (latency_count == 0) return 0;
    size_t rank = (size_t)ceil(p / 100 * (double)latency_count - 1e-9);
    size_t index = rank == 0 ? 0 : rank - 1;
    if (index >= latency_count) index = latency_count - 1;
    return latencies[index] / 1000.0;
}

int main(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *name = argv[i], *value = argv[i + 1];
        if (!strcmp(name, "--mode")) bulk = !strcmp(value, "bulk");
        else if (!strcmp(name, "--host")) host = value;
        else if (!strcmp(name, "--port")) port = atoi(value);
        else if (!strcmp(name, "--path")) path = value;
        else if (!strcmp(name, "--connections")) connections = atoi(value);
        else if (!strcmp(name, "--size")) size = atoi(value);
        else if (!strcmp(name, "--warm-up")) warm_up = atof(value);
        else if (!strcmp(name, "--seconds")) seconds = atof(value);
        else if (!strcmp(name, "--server-pid")) server_pid = atoi(value);
        else { fprintf(stderr, "unknown option %s\n", name); return 2; }
    }
    if (strncmp(host, "127.", 4) != 0) { fprintf(stderr, "wsload only sends traffic to 127.0.0.0/8\n"); return 2; }
    if (port <= 0 || connections <= 0 || size < 0) { fprintf(stderr, "wsload needs --port, --connections > 0, --size >= 0\n"); return 2; }
    srand(6455);
    build_frame();

    int epoll = epoll_create1(0);
    conn_t *conns = calloc((size_t)connections, sizeof *conns);
    int opened = 0;
    for (int i = 0; i < connections; i++) {
        conns[i].fd = open_connection();
        if (conns[i].fd < 0) break;
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = &conns[i]};
        epoll_ctl(epoll, EPOLL_CTL_ADD, conns[i].fd, &event);
        opened++;
    }

    uint64_t start = now_ns();
    measure_from = start + (uint64_t)(warm_up * 1e9);
    measure_to = measure_from + (uint64_t)(seconds * 1e9);
    uint64_t grace_to = measure_to + 10000000000ull;
    if (opened == connections) {
        latency_capacity = 1 << 20;
        latencies = malloc(latency_capacity * sizeof *latencies);
        for (int i = 0; i < opened; i++) start_message(epoll, &conns[i], start, measure_to);
    }

    static uint8_t buffer[READ_BUFFER];
    struct epoll_event events[MAX_EVENTS];
    double cpu_from = -1, server_from = -1, cpu_to = 0, server_to = -1;
    int measuring = 0, active = opened == connections ? opened : 0;
    while (active > 0) {
        uint64_t now = now_ns();
        if (!measuring && now >= measure_from) { measuring = 1; cpu_from = own_cpu_seconds(); server_from = server_cpu_seconds(); }
        if (measuring == 1 && now >= measure_to) { measuring = 2; cpu_to = own_cpu_seconds(); server_to = server_cpu_seconds(); }
        if (now >= grace_to) break;
        int ready = epoll_wait(epoll, events, MAX_EVENTS, 5);
        now = now_ns();
        for (int e = 0; e < ready; e++) {
            conn_t *c = events[e].data.ptr;
            if (c->fd < 0) continue;
            int failed = 0;
            if (events[e].events & EPOLLOUT) failed = send_frame(epoll, c) < 0;
            if (!failed && (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                ssize_t n = read(c->fd, buffer, sizeof buffer);
                if (n > 0) failed = on_bytes(epoll, c, buffer, (size_t)n, measure_to) < 0;
                else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) failed = 1;
            }
            if (failed) {
                if (c->sending || now < measure_to) broken++;
                close(c->fd);
                c->fd = -1;
                c->sending = 0;
            }
        }
        /* Done once the measured time is over and every connection's last echo came back. */
        if (now >= measure_to) {
            active = 0;
            for (int i = 0; i < opened; i++) active += conns[i].fd >= 0 && conns[i].sending;
        }
    }
    if (measuring < 2) { cpu_to = own_cpu_seconds(); server_to = server_cpu_seconds(); }
    long unanswered = 0;
    for (int i = 0; i < opened; i++) unanswered += conns[i].fd >= 0 && conns[i].sending;

    qsort(latencies, latency_count, sizeof *latencies, compare);
    printf("{\"scenario\":\"%s\",\"url\":\"ws://%s:%d%s\",\"engine\":\"wsload\",", bulk ? "echo-bulk" : "echo-rtt", host, port, path);
    int ok = opened == connections && wrong == 0 && broken == 0 && unanswered == 0 && latency_count > 0;
    printf("\"ok\":%s,\"figures\":{", ok ? "true" : "false");
    if (bulk) printf("\"megabytes_per_s\":%.2f", (double)latency_count * size / seconds / 1e6);
    else printf("\"messages_per_s\":%.1f,\"rtt_p50_ms\":%.3f,\"rtt_p99_ms\":%.3f,\"rtt_p999_ms\":%.3f",
                latency_count / seconds, percentile(50), percentile(99), percentile(99.9));
    if (server_from >= 0 && server_to >= 0) printf(",\"server_cpu_percent\":%.1f", (server_to - server_from) / seconds * 100);
    printf(",\"generator_cpu_percent\":%.1f},\"failures\":[", (cpu_to - cpu_from) / seconds * 100);
    const char *comma = "";
    if (opened != connections) { printf("\"connected %d of %d\"", opened, connections); comma = ","; }
    if (wrong) { printf("%s\"echoes of the wrong length: %ld\"", comma, wrong); comma = ","; }
    if (broken) { printf("%s\"connections that failed while echoing: %ld\"", comma, broken); comma = ","; }
    if (unanswered) { printf("%s\"connections whose echo never came: %ld\"", comma, unanswered); comma = ","; }
    if (opened == connections && latency_count == 0) printf("%s\"no echo completed within the measured time\"", comma);
    printf("],\"details\":{}}\n");
    return ok ? 0 : 1;
}
