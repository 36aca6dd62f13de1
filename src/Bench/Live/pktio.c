// Kecleon's packet I/O helper (src/Runtime/Live/PacketIo): send or capture raw Ethernet frames on one interface through an AF_PACKET socket.
//   pktio send IFACE FRAMES_FILE INTERVAL_US   frames file: repeated { u16 length (host order); bytes }
//   pktio recv IFACE OUT_FILE IDLE_MS MAX_MS   captures incoming frames (not our own outgoing ones) into OUT_FILE in the
//                                              same format; prints "ready" once bound; stops after IDLE_MS without a
//                                              frame (counted from the first one) or after MAX_MS.
//   pktio stream IFACE INTERVAL_US             sends the frames read from standard input (same format) as they come; a
//                                              frame of length 0 is a marker: "sent" is printed once all before it went.
//   pktio capture IFACE OUT_FILE               captures as recv does until standard input closes, then prints the count.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int open_socket(const char *iface)
{
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket"); exit(2); }
    struct sockaddr_ll addr = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = if_nametoindex(iface) };
    if (addr.sll_ifindex == 0) { fprintf(stderr, "no interface %s\n", iface); exit(2); }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) { perror("bind"); exit(2); }
    int size = 64 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
    return fd;
}

static int stream(int fd, int interval)
{
    unsigned char frame[2048];
    uint16_t length;
    while (fread(&length, 2, 1, stdin) == 1) {
        if (length == 0) {
            printf("sent\n");
            fflush(stdout);
            continue;
        }
        if (length > sizeof(frame) || fread(frame, 1, length, stdin) != length) { fprintf(stderr, "bad frame on stdin\n"); return 2; }
        while (send(fd, frame, length, 0) < 0) usleep(100);
        if (interval > 0) usleep(interval);
    }
    return 0;
}

static int capture(int fd, const char *path)
{
    unsigned char frame[2048];
    FILE *out = fopen(path, "wb");
    if (!out) { perror("fopen"); return 2; }
    long count = 0;
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
        if (poll(p, 2, 50) <= 0) continue;
        if (p[0].revents & POLLIN) {
            struct sockaddr_ll from;
            socklen_t fromlen = sizeof(from);
            ssize_t n = recvfrom(fd, frame, sizeof(frame), 0, (struct sockaddr *)&from, &fromlen);
            if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
            uint16_t length = (uint16_t)n;
            fwrite(&length, 2, 1, out);
            fwrite(frame, 1, n, out);
            count++;
            continue;
        }
        if (p[1].revents) {
            char buffer[64];
            if (read(0, buffer, sizeof(buffer)) <= 0) break;
        }
    }
    /* Drain what is still queued on the socket. */
    for (;;) {
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(fd, frame, sizeof(frame), MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
        if (n <= 0) break;
        if (from.sll_pkttype == PACKET_OUTGOING) continue;
        uint16_t length = (uint16_t)n;
        fwrite(&length, 2, 1, out);
        fwrite(frame, 1, n, out);
        count++;
    }
    fclose(out);
    printf("%ld\n", count);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "stream") == 0)
        return stream(open_socket(argv[2]), atoi(argv[3]));
    if (argc == 4 && strcmp(argv[1], "capture") == 0)
        return capture(open_socket(argv[2]), argv[3]);
    if (argc != 5 && argc != 6) { fprintf(stderr, "usage: see pktio.c\n"); return 2; }
    int fd = open_socket(argv[2]);
    unsigned char frame[2048];
    if (strcmp(argv[1], "send") == 0) {
        FILE *in = fopen(argv[3], "rb");
        if (!in) { perror("fopen"); return 2; }
        int interval = atoi(argv[4]);
        uint16_t length;
        long sent = 0;
        while (fread(&length, 2, 1, in) == 1 && fread(frame, 1, length, in) == length) {
            while (send(fd, frame, length, 0) < 0) usleep(100);
            sent++;
            if (interval > 0) usleep(interval);
        }
        printf("%ld\n", sent);
        return 0;
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out) { perror("fopen"); return 2; }
    long idle = atol(argv[4]), max = atol(argv[5]), start = now_ms(), last = 0;
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        long now = now_ms();
        if (now - start > max || (last && now - last > idle)) break;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 50) <= 0) continue;
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(fd, frame, sizeof(frame), 0, (struct sockaddr *)&from, &fromlen);
        if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
        uint16_t length = (uint16_t)n;
        fwrite(&length, 2, 1, out);
        fwrite(frame, 1, n, out);
        last = now_ms();
    }
    fclose(out);
    return 0;
}
