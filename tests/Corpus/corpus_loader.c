// SPDX-License-Identifier: GPL-2.0
/*
 * A data plane's own loader tool, as users run them: it loads an object with libbpf (maps pinned by name under
 * --map-pins, maps resized with --resize before load), attaches one program to an interface with a bpf_link, pins
 * that link and the program in its own state folder, and writes entries. `status` and `unload` find everything
 * again through those pins only.
 *
 *   corpus_loader load OBJ PROGRAM IFACE STATE [--map-pins DIR] [--resize MAP=N] [--u32 MAP KEY VALUE]
 *                 [--inner MAP KEY V0,V1,V2,V3] [--dev MAP KEY IFINDEX] [--hex MAP KEYHEX VALUEHEX]
 *   corpus_loader status STATE [MAP_PIN ...]
 *   corpus_loader unload STATE
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "corpus_loader: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

/* Hex digits in memory order (as bpftool prints keys and values) into at most size bytes; the byte count, or -1. */
static int hex_bytes(const char *hex, unsigned char *out, size_t size)
{
	size_t n = strlen(hex) / 2, i;

	if (strlen(hex) % 2 || n > size)
		return -1;
	for (i = 0; i < n; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return (int)n;
}

static int load(int argc, char **argv)
{
	char path[PATH_MAX];
	const char *file = argv[2], *prog_name = argv[3], *iface = argv[4], *state = argv[5], *pins = NULL;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	int i, err, ifindex;

	for (i = 6; i < argc - 1; i++)
		if (!strcmp(argv[i], "--map-pins"))
			pins = argv[i + 1];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pins);
	obj = bpf_object__open_file(file, &opts);
	if (!obj)
		return fail("open", errno);
	for (i = 6; i < argc - 1; i++) {
		if (strcmp(argv[i], "--resize"))
			continue;
		char name[64];
		unsigned int size;
		struct bpf_map *map;

		if (sscanf(argv[i + 1], "%63[^=]=%u", name, &size) != 2 || !(map = bpf_object__find_map_by_name(obj, name)))
			return fail(argv[i + 1], EINVAL);
		err = bpf_map__set_max_entries(map, size);
		if (err)
			return fail("resize", err);
	}
	err = bpf_object__load(obj);
	if (err)
		return fail("load", err);
	prog = bpf_object__find_program_by_name(obj, prog_name);
	ifindex = if_nametoindex(iface);
	if (!prog || !ifindex)
		return fail("program or interface", ENOENT);
	link = bpf_program__attach_xdp(prog, ifindex);
	if (!link)
		return fail("attach", errno);
	snprintf(path, sizeof(path), "%s/link", state);
	err = bpf_link__pin(link, path);
	if (err)
		return fail("pin link", err);
	snprintf(path, sizeof(path), "%s/prog", state);
	err = bpf_program__pin(prog, path);
	if (err)
		return fail("pin program", err);
	for (i = 6; i < argc; i++) {
		if (!strcmp(argv[i], "--u32") && i + 3 < argc) {
			__u32 key = strtoul(argv[i + 2], NULL, 0), value = strtoul(argv[i + 3], NULL, 0);

			err = bpf_map_update_elem(map_fd(obj, argv[i + 1]), &key, &value, BPF_ANY);
			if (err)
				return fail(argv[i + 1], err);
			i += 3;
		} else if (!strcmp(argv[i], "--dev") && i + 3 < argc) {
			__u32 key = strtoul(argv[i + 2], NULL, 0);
			struct bpf_devmap_val value = { .ifindex = strtoul(argv[i + 3], NULL, 0) };

			err = bpf_map_update_elem(map_fd(obj, argv[i + 1]), &key, &value, BPF_ANY);
			if (err)
				return fail(argv[i + 1], err);
			i += 3;
		} else if (!strcmp(argv[i], "--hex") && i + 3 < argc) {
			unsigned char key[64], value[256];

			if (hex_bytes(argv[i + 2], key, sizeof(key)) < 0 || hex_bytes(argv[i + 3], value, sizeof(value)) < 0)
				return fail(argv[i + 2], EINVAL);
			err = bpf_map_update_elem(map_fd(obj, argv[i + 1]), key, value, BPF_ANY);
			if (err)
				return fail(argv[i + 1], err);
			i += 3;
		} else if (!strcmp(argv[i], "--inner") && i + 3 < argc) {
			__u32 key = strtoul(argv[i + 2], NULL, 0), slot;
			char *values = argv[i + 3], *next;
			int inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "mim_inner", 4, 4, 4, NULL);

			if (inner < 0)
				return fail("create inner map", inner);
			for (slot = 0; slot < 4 && *values; slot++, values = *next ? next + 1 : next) {
				__u32 value = strtoul(values, &next, 0);

				bpf_map_update_elem(inner, &slot, &value, BPF_ANY);
			}
			err = bpf_map_update_elem(map_fd(obj, argv[i + 1]), &key, &inner, BPF_ANY);
			close(inner);
			if (err)
				return fail(argv[i + 1], err);
			i += 3;
		}
	}
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}

/* What the tool sees: its link's program and interface, its pinned program, and each pinned map. */
static int status(int argc, char **argv)
{
	char path[PATH_MAX];
	struct bpf_link_info link = {};
	struct bpf_prog_info prog = {};
	__u32 len = sizeof(link);
	int fd, i;

	snprintf(path, sizeof(path), "%s/link", argv[2]);
	fd = bpf_obj_get(path);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &link, &len))
		return fail("no link: not loaded", errno);
	close(fd);
	printf("link %u: xdp ifindex %u\n", link.id, link.xdp.ifindex);
	snprintf(path, sizeof(path), "%s/prog", argv[2]);
	fd = bpf_obj_get(path);
	len = sizeof(prog);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &prog, &len))
		return fail("no program pin", errno);
	close(fd);
	printf("program %u: %s\n", prog.id, prog.name);
	for (i = 3; i < argc; i++) {
		struct bpf_map_info map = {};

		len = sizeof(map);
		fd = bpf_obj_get(argv[i]);
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &map, &len))
			return fail(argv[i], errno);
		close(fd);
		printf("map %s: id %u, %u entries max\n", map.name, map.id, map.max_entries);
	}
	return 0;
}

static int unload(char **argv)
{
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/link", argv[2]);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return fail("no link: not loaded", errno);
	err = bpf_link_detach(fd);
	close(fd);
	if (err)
		return fail("detach", err);
	unlink(path);
	snprintf(path, sizeof(path), "%s/prog", argv[2]);
	unlink(path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "load"))
		return load(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "status"))
		return status(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "unload"))
		return unload(argv);
	fprintf(stderr, "usage: corpus_loader load OBJ PROGRAM IFACE STATE [options] | status STATE [MAP_PIN...] | unload STATE\n");
	return 2;
}
