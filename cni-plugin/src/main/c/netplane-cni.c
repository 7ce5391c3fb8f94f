/*
 * netplane-cni: the CNI plugin container runtimes execute for every CNI call. It does no networking
 * itself: it forwards the call (the CNI_* environment and the network config read on stdin) to
 * netplane's host agent as one HTTP/1.1 POST on the agent's Unix socket, and relays the answer.
 * VERSION is answered here, so that it works with no agent running.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CONFIG (1u << 20)
#define MAX_ANSWER (4u << 20)
#define IO_TIMEOUT_S 60
#define DEFAULT_SOCKET "/run/netplane/agent.sock"
#define ALNUM "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define VERSION_JSON "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}"

enum { CNI_INVALID_ENV = 4, CNI_IO = 5, CNI_DECODE = 6, CNI_INVALID_CONFIG = 7, CNI_TRY_AGAIN = 11 };

struct buf { char *p; size_t len, cap; };

/* The version the shim's own errors are written in; only ever [A-Za-z0-9.+-], so it needs no escaping. */
static char cni_version[33] = "1.0.0";

static void out_of_memory(void)
{
    printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"netplane-cni ran out of memory\"}", cni_version, CNI_IO);
    exit(1);
}

static void buf_add(struct buf *b, const void *p, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            out_of_memory();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0'; /* always a C string too */
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* Appends s as a JSON string. Bytes >= 0x80 pass through: the config is UTF-8 by the spec. */
static void buf_json(struct buf *b, const char *s, size_t n)
{
    buf_add(b, "\"", 1);
    for (size_t i = 0, plain; i < n; i += plain) {
        unsigned char c = (unsigned char)s[i];
        for (plain = 0; i + plain < n && (unsigned char)s[i + plain] >= 0x20 && !strchr("\"\\", s[i + plain]);)
            plain++;
        if (plain) {
            buf_add(b, s + i, plain);
        } else {
            char esc[8];
            buf_add(b, esc, (size_t)(c < 0x20 ? snprintf(esc, sizeof esc, "\\u%04x", c)
                                              : snprintf(esc, sizeof esc, "\\%c", c)));
            plain = 1;
        }
    }
    buf_add(b, "\"", 1);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads fd to EOF into b: 0 when done, 1 when there is more than max bytes, -1 on error (errno). */
static int read_all(int fd, struct buf *b, size_t max)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        if ((size_t)r > max - b->len) /* b->len never exceeds max */
            return 1;
        buf_add(b, chunk, (size_t)r);
    }
}

/* An error the shim makes itself, as the spec's error result on stdout; exits 1. */
static void fail(int code, const char *details, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct buf b = {0};
    char head[96];
    snprintf(head, sizeof head, "{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":", cni_version, code);
    buf_str(&b, head);
    buf_json(&b, msg, strlen(msg));
    if (details) {
        buf_str(&b, ",\"details\":");
        buf_json(&b, details, strlen(details));
    }
    buf_str(&b, "}");
    write_all(STDOUT_FILENO, b.p, b.len);
    free(b.p);
    exit(1);
}

/*
 * Just enough JSON to find two top-level members: a string decoder and a skipper for any value.
 * Each returns the position after what it read, or NULL where the text is not JSON.
 */
static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static void add_utf8(struct buf *b, unsigned long cp)
{
    unsigned char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        u[i] = (unsigned char)(0x80 | (cp & 0x3f));
    /* the lead byte: n - 1 high bits set above a 0 (0xc0, 0xe0, 0xf0), or the ASCII byte itself */
    u[0] = (unsigned char)(n == 1 ? cp : ((0xff00u >> n) & 0xff) | cp);
    buf_add(b, u, n);
}

static const char *hex4(const char *p, const char *e, unsigned long *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++, p++) {
        if (p >= e || !isxdigit((unsigned char)*p))
            return NULL;
        int c = tolower((unsigned char)*p);
        *v = *v << 4 | (unsigned long)(isdigit(c) ? c - '0' : c - 'a' + 10);
    }
    return p;
}

/* p is at the opening quote; the decoded text is appended to out unless out is NULL. */
static const char *scan_string(const char *p, const char *e, struct buf *out)
{
    for (p++; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL;
        if (c != '\\') {
            if (out)
                buf_add(out, p, 1);
            continue;
        }
        if (++p >= e)
            return NULL;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *hit = strchr(from, *p);
        if (*p && hit) {
            if (out)
                buf_add(out, &to[hit - from], 1);
            continue;
        }
        unsigned long cp, lo;
        if (*p != 'u' || !(p = hex4(p + 1, e, &cp)))
            return NULL;
        /* a UTF-16 surrogate pair is one code point; a lone surrogate becomes U+FFFD */
        if (cp >= 0xd800 && cp < 0xdc00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, e, &lo)
            && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
        } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = 0xfffd;
        }
        if (out)
            add_utf8(out, cp);
        p--; /* the loop steps past the last hex digit */
    }
    return NULL;
}

/* Any value. Containers are walked with a stack of their openers, so "[}" is not taken for a value. */
static const char *skip_value(const char *p, const char *e)
{
    char openers[1024];
    size_t depth = 0;
    do {
        p = skip_ws(p, e);
        if (p >= e)
            return NULL;
        if (*p == '"') {
            if (!(p = scan_string(p, e, NULL)))
                return NULL;
        } else if (*p == '{' || *p == '[') {
            if (depth == sizeof openers)
                return NULL;
            openers[depth++] = *p++;
        } else if (*p == '}' || *p == ']') {
            if (depth == 0 || openers[--depth] != (*p == '}' ? '{' : '['))
                return NULL;
            p++;
        } else if (*p == ',' || *p == ':') {
            if (depth == 0)
                return NULL;
            p++;
        } else { /* number, true, false, null */
            const char *start = p;
            while (p < e && (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
                p++;
            if (p == start)
                return NULL;
        }
    } while (depth > 0);
    return p;
}

struct member { const char *name; int found; /* 0 absent, 1 a string, 2 not a string */ struct buf text; };

/* Fills in the top-level members asked for; on text that is not JSON it stops with what it has. */
static void scan_config(const char *p, const char *e, struct member *m, size_t count)
{
    struct buf key = {0};
    p = skip_ws(p, e);
    if (p >= e || *p++ != '{')
        return;
    p = skip_ws(p, e);
    if (p < e && *p == '}')
        return;
    while (p < e && *p == '"') {
        key.len = 0;
        if (!(p = scan_string(p, e, &key)) || (p = skip_ws(p, e)) >= e || *p++ != ':')
            break;
        p = skip_ws(p, e);
        struct member *hit = NULL;
        for (size_t i = 0; i < count; i++)
            if (key.len == strlen(m[i].name) && memcmp(key.p, m[i].name, key.len) == 0)
                hit = &m[i];
        if (hit && p < e && *p == '"') { /* a repeated member: the last one counts, as for Jackson */
            hit->text.len = 0;
            p = scan_string(p, e, &hit->text);
            hit->found = p ? 1 : 0;
            buf_add(&hit->text, "", 0); /* a C string even when empty */
        } else {
            if (hit)
                hit->found = 2;
            p = skip_value(p, e);
        }
        if (!p || (p = skip_ws(p, e)) >= e || *p != ',')
            break;
        p = skip_ws(p + 1, e);
    }
    free(key.p);
}

static int valid_container_id(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 256 && strchr(ALNUM, s[0]) && strspn(s, ALNUM "_.-") == n;
}

static int valid_ifname(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && isgraph((unsigned char)s[i]) && s[i] != '/' && s[i] != ':') /* the C locale's: ASCII only */
        i++;
    return n >= 1 && n <= 15 && i == n && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/*
 * The agent is down: keep the DEL in <socket dir>/cni-del/<container>-<ifname>.json for the agent to
 * run when it is back. The temporary name does not end in .json, so the agent never reads half a file.
 */
static void spool_del(const char *sock, int why, const struct buf *body)
{
    const char *cid = getenv("CNI_CONTAINERID"), *ifname = getenv("CNI_IFNAME");
    if (!cid || !valid_container_id(cid))
        fail(CNI_INVALID_ENV, NULL, "%s CNI_CONTAINERID: it must be 1-256 letters, digits, '_', '.' or '-',"
             " starting with a letter or digit", cid ? "invalid" : "missing");
    if (!ifname || !valid_ifname(ifname))
        fail(CNI_INVALID_ENV, NULL, "%s CNI_IFNAME: it must be a Linux interface name (1-15 printable"
             " characters, no '/', ':' or space, not '.' or '..')", ifname ? "invalid" : "missing");

    char dir[PATH_MAX], name[NAME_MAX + 1], tmp[64];
    int made = 0; /* tmp is ours to remove */
    int dirlen = (int)(strrchr(sock, '/') - sock);
    snprintf(dir, sizeof dir, "%.*s/cni-del", dirlen, sock);
    int n = snprintf(name, sizeof name, "%s-%s.json", cid, ifname);
    int dfd = -1, fd = -1, err = 0;
    const char *step = "create the directory";
    if (n < 0 || (size_t)n >= sizeof name) {
        err = ENAMETOOLONG, step = "name the file";
        goto failed;
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        goto failed;
    step = "open the directory";
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        goto failed;
    step = "create a file";
    for (int i = 0; fd < 0 && i < 100; i++) {
        snprintf(tmp, sizeof tmp, ".del-%ld-%d.tmp", (long)getpid(), i);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            goto failed;
    }
    made = fd >= 0;
    if (fd < 0)
        goto failed;
    step = "write the file";
    /* fsync: the runtime is told the DEL succeeded, so it must survive a crash of this node */
    if (write_all(fd, body->p, body->len) < 0 || fsync(fd) < 0)
        goto failed;
    int closed = close(fd);
    fd = -1;
    if (closed < 0 || renameat(dfd, tmp, dfd, name) < 0)
        goto failed;
    fsync(dfd);
    close(dfd);
    fprintf(stderr, "netplane-cni: netplane's agent is not reachable at %s (%s): the DEL of %s is queued"
            " in %s/%s and runs when the agent is back\n", sock, strerror(why), cid, dir, name);
    exit(0);
failed:
    if (!err)
        err = errno;
    if (fd >= 0)
        close(fd);
    if (made)
        unlinkat(dfd, tmp, 0);
    if (dfd >= 0)
        close(dfd);
    fail(CNI_IO, strerror(err), "netplane's agent is not reachable at %s (%s) and the DEL cannot be queued"
         " in %s: cannot %s", sock, strerror(why), dir, step);
}

static int dial(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1); /* checked to fit */
    /* SO_SNDTIMEO bounds connect() too, when the agent's backlog is full */
    int r = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv)
        | setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (r == 0 && (r = connect(fd, (struct sockaddr *)&sa, sizeof sa)) < 0 && errno == EINTR)
        r = 0;
    if (r < 0 && errno != EISCONN) { /* EISCONN: an interrupted connect went through */
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Splits an HTTP/1.x answer: its status and body, or NULL with why it is not one. */
static const char *parse_answer(const struct buf *a, int *status, size_t *body_len, int *framed, const char **why)
{
    const char *p = a->p, *end = a->p + a->len;
    if (!p || a->len < 12 || strncmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ' || !isdigit((unsigned char)p[9])
        || !isdigit((unsigned char)p[10]) || !isdigit((unsigned char)p[11]) || (p[12] != ' ' && p[12] != '\r'))
        return *why = "no HTTP/1.x status line", NULL;
    const char *head_end = memmem(p, a->len, "\r\n\r\n", 4);
    if (!head_end)
        return *why = "the headers do not end", NULL;
    *status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    const char *body = head_end + 4;
    long long length = -1;
    /* every line ends in \r\n at the latest where the head does: memmem always finds one */
    const char *line = (const char *)memmem(p, (size_t)(head_end + 2 - p), "\r\n", 2) + 2;
    for (const char *eol; line < head_end; line = eol + 2) {
        eol = memmem(line, (size_t)(head_end + 2 - line), "\r\n", 2);
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon)
            return *why = "a header line without ':'", NULL;
        size_t name = (size_t)(colon - line);
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        if (name == 17 && strncasecmp(line, "Transfer-Encoding", name) == 0)
            return *why = "a Transfer-Encoding answer (netplane-cni reads only Content-Length or to the end)", NULL;
        if (name == 14 && strncasecmp(line, "Content-Length", name) == 0) {
            long long n = 0;
            const char *d = v;
            for (; d < eol && isdigit((unsigned char)*d) && n <= MAX_ANSWER; d++)
                n = n * 10 + (*d - '0');
            while (d < eol && (*d == ' ' || *d == '\t'))
                d++;
            if (d == v || d != eol || (length >= 0 && length != n))
                return *why = "an invalid Content-Length", NULL;
            length = n;
        }
    }
    if (length > end - body)
        return *why = "the answer is shorter than its Content-Length", NULL;
    *body_len = length >= 0 ? (size_t)length : (size_t)(end - body);
    *framed = length >= 0;
    return body;
}

static void env_member(struct buf *b, const char *key, const char *var)
{
    const char *v = getenv(var);
    buf_str(b, key);
    if (v)
        buf_json(b, v, strlen(v));
    else
        buf_str(b, "null");
}

int main(void)
{
    const char *cmd = getenv("CNI_COMMAND");
    signal(SIGPIPE, SIG_IGN); /* an agent (or a reader of stdout) that hung up is EPIPE, not death */
    if (cmd && strcmp(cmd, "VERSION") == 0)
        return write_all(STDOUT_FILENO, VERSION_JSON, strlen(VERSION_JSON)) < 0;

    struct buf config = {0};
    int r = read_all(STDIN_FILENO, &config, MAX_CONFIG);
    if (r > 0)
        fail(CNI_DECODE, NULL, "failed to decode content: the network configuration on stdin is over 1 MiB");
    if (r < 0)
        fail(CNI_IO, strerror(errno), "cannot read the network configuration on stdin");
    buf_add(&config, "", 0); /* allocated even when stdin is empty */

    struct member m[] = {{.name = "agentSocket"}, {.name = "cniVersion"}};
    scan_config(config.p, config.p + config.len, m, 2);
    if (m[1].found == 1 && m[1].text.len > 0 && m[1].text.len < sizeof cni_version
        && strspn(m[1].text.p, ALNUM ".+-") == m[1].text.len)
        memcpy(cni_version, m[1].text.p, m[1].text.len + 1);
    const char *sock = DEFAULT_SOCKET;
    if (m[0].found == 2)
        fail(CNI_INVALID_CONFIG, NULL, "invalid agentSocket: it must be a string, the absolute path of"
             " netplane's host agent socket");
    if (m[0].found == 1) {
        sock = m[0].text.p;
        if (m[0].text.len >= sizeof((struct sockaddr_un *)0)->sun_path || sock[0] != '/'
            || strlen(sock) != m[0].text.len)
            fail(CNI_INVALID_CONFIG, NULL, "invalid agentSocket \"%.200s\": it must be an absolute path shorter"
                 " than 108 bytes", sock);
    }

    struct buf body = {0}, req = {0}, answer = {0};
    env_member(&body, "{\"command\":", "CNI_COMMAND");
    env_member(&body, ",\"containerId\":", "CNI_CONTAINERID");
    env_member(&body, ",\"netns\":", "CNI_NETNS");
    env_member(&body, ",\"ifname\":", "CNI_IFNAME");
    env_member(&body, ",\"args\":", "CNI_ARGS");
    env_member(&body, ",\"path\":", "CNI_PATH");
    buf_str(&body, ",\"config\":");
    buf_json(&body, config.p, config.len);
    buf_str(&body, "}");

    /* the agent judges unknown commands; the path just must stay a path */
    size_t cmd_len = cmd ? strlen(cmd) : 0;
    int plain = cmd_len >= 1 && cmd_len <= 16 && strspn(cmd, ALNUM + 10) == cmd_len; /* letters only */
    char head[256];
    snprintf(head, sizeof head, "POST /cni/%s HTTP/1.1\r\nHost: netplane\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n", plain ? cmd : "INVALID", body.len);
    buf_str(&req, head);
    buf_add(&req, body.p, body.len);

    int fd = dial(sock);
    if (fd < 0) {
        int why = errno;
        if (cmd && strcmp(cmd, "DEL") == 0)
            spool_del(sock, why, &body);
        fail(CNI_TRY_AGAIN, strerror(why), "netplane's agent is not reachable at %s: start netplane's host"
             " agent on this node", sock);
    }
    /* an agent that stops reading early may still have answered: read whatever came back */
    int send_err = write_all(fd, req.p, req.len) < 0 ? errno : 0;
    r = read_all(fd, &answer, MAX_ANSWER);
    int read_err = errno;
    close(fd);

    const char *why = NULL, *out = NULL;
    int status = 0, framed = 0;
    size_t out_len = 0;
    char details[512] = "";
    if (r > 0)
        why = "the answer is over 4 MiB";
    else if (answer.len == 0 && r < 0)
        why = read_err == EAGAIN ? "no answer within 60 s" : strerror(read_err);
    else if (answer.len == 0)
        why = send_err ? strerror(send_err) : "the agent closed the connection without answering";
    else if (!(out = parse_answer(&answer, &status, &out_len, &framed, &why)))
        ; /* why says what is wrong */
    else if (r < 0 && !framed) /* to EOF, and EOF never came */
        why = read_err == EAGAIN ? "the answer stopped for 60 s" : strerror(read_err);
    else if (status != 200 && out_len == 0)
        snprintf(details, sizeof details, "HTTP status %d with an empty body", status);
    if (why || details[0])
        fail(CNI_TRY_AGAIN, why ? why : details, "netplane's agent at %s gave no usable answer to %s", sock,
             plain ? cmd : "the call");
    if (write_all(STDOUT_FILENO, out, out_len) < 0)
        return 1;
    free(config.p), free(body.p), free(req.p), free(answer.p), free(m[0].text.p), free(m[1].text.p);
    return status == 200 ? 0 : 1;
}
