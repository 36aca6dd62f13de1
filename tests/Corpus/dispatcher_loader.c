// SPDX-License-Identifier: GPL-2.0
/*
 * dispatcher_loader: attaches xdp_dispatcher to an interface (generic mode) and
 * xdp_extension to its slot prog0 with a pinned freplace link, as a
 * multi-program loader does. Then it tries to replace the extension in place
 * (BPF_LINK_UPDATE on the tracing link) and prints whether the kernel allowed it.
 *
 *   dispatcher_loader IFINDEX DISPATCHER.o EXTENSION.o LINK_PIN
 * Prints "dispatcher ID", "extension ID" and "link-update ERRNO" (0: allowed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

static struct bpf_object *load_extension(const char *path, int target_fd, struct bpf_program **prog)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	if (!obj)
		return NULL;
	*prog = bpf_object__find_program_by_name(obj, "xdp_extension");
	if (!*prog || bpf_program__set_attach_target(*prog, target_fd, "prog0") || bpf_object__load(obj))
		return NULL;
	return obj;
}

static unsigned int id_of(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

int main(int argc, char **argv)
{
	struct bpf_program *dispatcher, *extension, *second;
	struct bpf_object *obj;
	struct bpf_link *link;
	int ifindex, fd, rc;

	if (argc != 5)
		return 2;
	ifindex = atoi(argv[1]);
	obj = bpf_object__open_file(argv[2], NULL);
	if (!obj || bpf_object__load(obj))
		return 3;
	dispatcher = bpf_object__find_program_by_name(obj, "xdp_dispatcher");
	fd = bpf_program__fd(dispatcher);
	if (bpf_xdp_attach(ifindex, fd, XDP_FLAGS_SKB_MODE, NULL))
		return 4;
	if (!load_extension(argv[3], fd, &extension))
		return 5;
	link = bpf_program__attach_freplace(extension, fd, "prog0");
	if (!link || bpf_link__pin(link, argv[4]))
		return 6;
	printf("dispatcher %u\nextension %u\n", id_of(fd), id_of(bpf_program__fd(extension)));
	if (!load_extension(argv[3], fd, &second))
		return 7;
	rc = bpf_link_update(bpf_link__fd(link), bpf_program__fd(second), NULL);
	printf("link-update %d\n", rc < 0 ? -rc : 0);
	return 0;
}
