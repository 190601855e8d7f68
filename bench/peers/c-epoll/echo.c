/*
 * The floor of this machine, not a server to use: a minimal single-threaded epoll WebSocket echo server in C.
 * It answers the handshake, unmasks each whole frame it has and writes it back unmasked, all replies of one
 * read in one write. It validates nothing (no UTF-8, no limits, no close handshake beyond echoing the close),
 * so it shows what the kernel and the loopback cost, against which a real server's own work can be read.
 *
 *   echo PORT     (listens on 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    int fd;
    int upgraded;
    uint8_t *in;
    size_t in_have, in_capacity;
    uint8_t *out;
    size_t out_have, out_sent, out_capacity;
} conn_t;

/* SHA-1 (FIPS 180-4), only for Sec-WebSocket-Accept. */
static void sha1(const uint8_t *data, size_t length, uint8_t digest[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t padded = ((length + 8) / 64 + 1) * 64;
    uint8_t *message = calloc(padded, 1);
    memcpy(message, data, length);
    message[length] = 0x80;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) message[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t chunk = 0; chunk < padded; chunk += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)message[chunk + 4 * i] << 24 | (uint32_t)message[chunk + 4 * i + 1] << 16
                 | (uint32_t)message[chunk + 4 * i + 2] << 8 | message[chunk + 4 * i + 3];
        for (int i = 16; i < 80; i++) { uint32_t x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]; w[i] = x << 1 | x >> 31; }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
            else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
            else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
            else { f = b ^ c ^ d; k = 0xCA62C1D6; }
            uint32_t t = (a << 5 | a >> 27) + f + e + k + w[i];
            e = d; d = c; c = b << 30 | b >> 2; b = a; a = t;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
    }
    free(message);
    for (int i = 0; i < 20; i++) digest[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const uint8_t *data, size_t length, char *text) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < length ? (uint32_t)data[i + 1] << 8 : 0) | (i + 2 < length ? data[i + 2] : 0);
        text[o++] = alphabet[v >> 18 & 63];
        text[o++] = alphabet[v >> 12 & 63];
        text[o++] = i + 1 < length ? alphabet[v >> 6 & 63] : '=';
        text[o++] = i + 2 < length ? alphabet[v & 63] : '=';
    }
    text[o] = 0;
}

static void reserve(uint8_t **buffer, size_t *capacity, size_t need) {
    if (need <= *capacity) return;
    size_t bigger = *capacity ? *capacity : 4096;
    while (bigger < need) bigger *= 2;
    *buffer = realloc(*buffer, bigger);
    *capacity = bigger;
}

static void drop(conn_t *c) {
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

/* Writes what is pending; returns -1 when the socket broke. Leaves the rest for EPOLLOUT. */
static int flush_out(int epoll, conn_t *c) {
    while (c->out_sent < c->out_have) {
        ssize_t n = write(c->fd, c->out + c->out_sent, c->out_have - c->out_sent);
        if (n > 0) { c->out_sent += (size_t)n; continue; }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
            epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
            return 0;
        }
        return -1;
    }
    c->out_have = c->out_sent = 0;
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
    return 0;
}

static int handshake(conn_t *c) {
    c->in[c->in_have] = 0;
    char *end = strstr((char *)c->in, "\r\n\r\n");
    if (!end) return 0;
    char *key = strcasestr((char *)c->in, "Sec-WebSocket-Key:");
    if (!key) return -1;
    key += 18;
    while (*key == ' ') key++;
    char joined[128];
    size_t length = strcspn(key, "\r\n");
    if (length > 60) return -1;
    memcpy(joined, key, length);
    memcpy(joined + length, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", 36);
    uint8_t digest[20];
    sha1((uint8_t *)joined, length + 36, digest);
    char accept[32];
    base64(digest, 20, accept);
    char response[256];
    int n = snprintf(response, sizeof response,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
    reserve(&c->out, &c->out_capacity, c->out_have + (size_t)n);
    memcpy(c->out + c->out_have, response, (size_t)n);
    c->out_have += (size_t)n;
    size_t used = (size_t)(end + 4 - (char *)c->in);
    memmove(c->in, c->in + used, c->in_have - used);
    c->in_have -= used;
    c->upgraded = 1;
    return 1;
}

/* XORs the payload with the mask, eight bytes at a time where it can. */
static void unmask(uint8_t *payload, size_t length, const uint8_t *mask) {
    uint8_t key[8];
    for (int i = 0; i < 8; i++) key[i] = mask[i & 3];
    uint64_t wide;
    memcpy(&wide, key, 8);
    size_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        memcpy(&word, payload + i, 8);
        word ^= wide;
        memcpy(payload + i, &word, 8);
    }
    for (; i < length; i++) payload[i] ^= mask[i & 3];
}

/* Echoes every whole frame in the input; returns 1 when a close frame was echoed. */
static int echo_frames(conn_t *c) {
    size_t at = 0;
    int closed = 0;
    while (c->in_have - at >= 2) {
        uint8_t *f = c->in + at;
        uint64_t length = f[1] & 0x7F;
        size_t header = 2;
        if (length == 126) { if (c->in_have - at < 4) break; length = (uint64_t)f[2] << 8 | f[3]; header = 4; }
        else if (length == 127) {
            if (c->in_have - at < 10) break;
            length = 0;
            for (int i = 0; i < 8; i++) length = length << 8 | f[2 + i];
            header = 10;
        }
        int masked = f[1] & 0x80;
        size_t total = header + (masked ? 4 : 0) + (size_t)length;
        if (c->in_have - at < total) break;
        uint8_t *mask = f + header, *payload = f + header + (masked ? 4 : 0);
        if (masked) unmask(payload, (size_t)length, mask);
        reserve(&c->out, &c->out_capacity, c->out_have + 10 + (size_t)length);
        uint8_t *o = c->out + c->out_have;
        o[0] = f[0];
        size_t out_header = 2;
        if (length <= 125) o[1] = (uint8_t)length;
        else if (length <= 65535) { o[1] = 126; o[2] = (uint8_t)(length >> 8); o[3] = (uint8_t)length; out_header = 4; }
        else { o[1] = 127; for (int i = 0; i < 8; i++) o[2 + i] = (uint8_t)(length >> (56 - 8 * i)); out_header = 10; }
        memcpy(o + out_header, payload, (size_t)length);
        c->out_have += out_header + (size_t)length;
        if ((f[0] & 0x0F) == 0x8) closed = 1;
        at += total;
    }
    memmove(c->in, c->in + at, c->in_have - at);
    c->in_have -= at;
    return closed;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: echo PORT\n"); return 2; }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)atoi(argv[1]));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) { perror("listen"); return 1; }
    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event events[256];
    for (;;) {
        int ready = epoll_wait(epoll, events, 256, -1);
        for (int e = 0; e < ready; e++) {
            conn_t *c = events[e].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn_t *fresh = calloc(1, sizeof *fresh);
                    fresh->fd = fd;
                    struct epoll_event add = {.events = EPOLLIN, .data.ptr = fresh};
                    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &add);
                }
                continue;
            }
            int failed = 0, closed = 0;
            if (events[e].events & EPOLLOUT) failed = flush_out(epoll, c) < 0;
            if (!failed && (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                reserve(&c->in, &c->in_capacity, c->in_have + 256 * 1024 + 1);
                ssize_t n = read(c->fd, c->in + c->in_have, c->in_capacity - c->in_have - 1);
                if (n > 0) {
                    c->in_have += (size_t)n;
                    if (!c->upgraded && handshake(c) < 0) failed = 1;
                    if (!failed && c->upgraded) closed = echo_frames(c);
                    if (!failed && c->out_have > c->out_sent) failed = flush_out(epoll, c) < 0;
                } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    failed = 1;
                }
            }
            if (failed || (closed && c->out_sent == c->out_have)) drop(c);
        }
    }
}
