using System.Diagnostics;
using Kecleon.FrontEnd;
using Kecleon.Tests;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>
/// A control plane outside Kecleon, in another process: a small C helper built with gcc that writes a map or loads a
/// program using it through the 64-bit <c>bpf()</c> or the 32-bit one (<c>int $0x80</c> from a 64-bit process, its
/// <c>bpf_attr</c> in memory below 4 GiB). One command per line over stdin, each answered with the call's result.
/// </summary>
internal sealed class ForeignWriter : IDisposable
{
    private const string Source = """
        // SPDX-License-Identifier: GPL-2.0
        // guard_writer MAP_ID: a control plane outside Kecleon. Commands on stdin, one result line each (the call's result):
        //   u32 KEY VALUE   BPF_MAP_UPDATE_ELEM (u32 key, u64 value) through the 32-bit bpf() (int $0x80)
        //   u64 KEY VALUE   the same through the 64-bit bpf()
        //   l32 / l64       BPF_PROG_LOAD of an XDP program that uses the map; its fd stays open
        //   c               closes the programs loaded so far
        #include <errno.h>
        #include <linux/bpf.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/mman.h>
        #include <sys/syscall.h>
        #include <unistd.h>

        #define IA32_NR_BPF 357

        static long bpf32(int cmd, void *attr, unsigned int size)
        {
        	long ret;
        	__asm__ volatile("int $0x80"
        			 : "=a"(ret)
        			 : "a"(IA32_NR_BPF), "b"(cmd), "c"((unsigned int)(uintptr_t)attr), "d"(size)
        			 : "memory", "r8", "r9", "r10", "r11");
        	return (int)ret;
        }

        static long bpf64(int cmd, void *attr, unsigned int size)
        {
        	long ret = syscall(__NR_bpf, cmd, attr, size);
        	return ret < 0 ? -errno : ret;
        }

        /* Everything the kernel reads through a pointer lives here, below 4 GiB, where a 32-bit call can point. */
        struct low {
        	union bpf_attr attr;
        	__u32 key;
        	__u64 value;
        	struct bpf_insn insns[4];
        	char license[4];
        };

        int main(int argc, char **argv)
        {
        	if (argc != 2) {
        		fprintf(stderr, "usage: guard_writer MAP_ID\n");
        		return 64;
        	}
        	struct low *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        	if (low == MAP_FAILED || (uintptr_t)low >= (1ULL << 32)) {
        		perror("mmap MAP_32BIT");
        		return 71;
        	}
        	memset(&low->attr, 0, sizeof(low->attr));
        	low->attr.map_id = strtoul(argv[1], NULL, 10);
        	long map_fd = bpf64(BPF_MAP_GET_FD_BY_ID, &low->attr, sizeof(low->attr));
        	if (map_fd < 0) {
        		fprintf(stderr, "map id %s: %s\n", argv[1], strerror((int)-map_fd));
        		return 66;
        	}
        	int programs[64], loaded = 0;
        	char line[128], command[8];
        	unsigned long long key, value;
        	setvbuf(stdout, NULL, _IOLBF, 0);
        	while (fgets(line, sizeof(line), stdin)) {
        		long rc = -EINVAL;
        		int words = sscanf(line, "%7s %llu %llu", command, &key, &value);
        		memset(&low->attr, 0, sizeof(low->attr));
        		if (words == 3 && command[0] == 'u') {
        			low->key = (__u32)key;
        			low->value = value;
        			low->attr.map_fd = (__u32)map_fd;
        			low->attr.key = (uintptr_t)&low->key;
        			low->attr.value = (uintptr_t)&low->value;
        			low->attr.flags = BPF_ANY;
        			rc = strcmp(command, "u32") == 0 ? bpf32(BPF_MAP_UPDATE_ELEM, &low->attr, sizeof(low->attr))
        							 : bpf64(BPF_MAP_UPDATE_ELEM, &low->attr, sizeof(low->attr));
        		} else if (words == 1 && command[0] == 'l' && loaded < 64) {
        			/* r1 = &map; r0 = XDP_PASS; exit */
        			struct bpf_insn insns[4] = {
        				{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = (__s32)map_fd },
        				{ 0 },
        				{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS },
        				{ .code = BPF_JMP | BPF_EXIT },
        			};
        			memcpy(low->insns, insns, sizeof(insns));
        			memcpy(low->license, "GPL", 4);
        			low->attr.prog_type = BPF_PROG_TYPE_XDP;
        			low->attr.insn_cnt = 4;
        			low->attr.insns = (uintptr_t)low->insns;
        			low->attr.license = (uintptr_t)low->license;
        			rc = strcmp(command, "l32") == 0 ? bpf32(BPF_PROG_LOAD, &low->attr, sizeof(low->attr))
        							 : bpf64(BPF_PROG_LOAD, &low->attr, sizeof(low->attr));
        			if (rc >= 0)
        				programs[loaded++] = (int)rc;
        		} else if (words == 1 && command[0] == 'c') {
        			while (loaded > 0)
        				close(programs[--loaded]);
        			rc = 0;
        		}
        		printf("%ld\n", rc);
        	}
        	return 0;
        }
        """;

    private static readonly Lazy<string> Executable = new(Build);

    private readonly Process _process;

    private ForeignWriter(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Starts the helper on the map with kernel id <paramref name="mapId"/>.</summary>
    public static ForeignWriter Start(uint mapId)
    {
        var start = new ProcessStartInfo(Executable.Value, mapId.ToString())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        return new ForeignWriter(Process.Start(start) ?? throw new InvalidOperationException("cannot start guard_writer"));
    }

    /// <summary>Sends one command; the call's result (a negative errno on failure), or null when the helper died
    /// (<see cref="ExitSignal"/> says how).</summary>
    public long? Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine();
        return line is null ? null : long.Parse(line);
    }

    /// <summary>The signal that ended the helper, once it has exited (the shell convention: 128 + signal).</summary>
    public int? ExitSignal
    {
        get
        {
            if (!_process.WaitForExit(5000))
                return null;
            return _process.ExitCode > 128 ? _process.ExitCode - 128 : null;
        }
    }

    public string Errors => _process.HasExited ? _process.StandardError.ReadToEnd() : "";

    private static string Build()
    {
        var source = TestEnvironment.TempFile(".c", "guard_writer");
        File.WriteAllText(source, Source);
        var output = Path.ChangeExtension(source, null);
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-Wall", "-Werror", "-o", output, source]) { RedirectStandardError = true })!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
            throw new InvalidOperationException($"gcc guard_writer.c: {errors}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                    _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
