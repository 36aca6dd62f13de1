using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// Integer selects made arithmetic before code generation (<see cref="SelectLowering"/>): every predicate at every width
/// answers as the branches did, on the kernel, and a chain of selects no longer multiplies the verifier's paths.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class SelectLoweringTests
{
    /// <summary>Each comparison of the packet's numbers picks one of two of them; the answers go into a map value (a
    /// stack slot only a helper reads, so every select may be lowered).</summary>
    private const string Comparisons = Programs.Prelude + """

        struct answers { __u64 v[24]; };
        struct {
            __uint(type, BPF_MAP_TYPE_ARRAY);
            __uint(max_entries, 1);
            __type(key, __u32);
            __type(value, struct answers);
        } results SEC(".maps");

        SEC("xdp")
        int comparisons(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 32 > end)
                return XDP_DROP;
            __u64 a = *(__u64 *)data, b = *(__u64 *)(data + 8);
            __s64 sa = (__s64)a, sb = (__s64)b;
            __u32 c = *(__u32 *)(data + 16), d = *(__u32 *)(data + 20);
            __s32 sc = (__s32)c, sd = (__s32)d;
            __u16 e = *(__u16 *)(data + 24), f = *(__u16 *)(data + 26);
            __s8 g = *(__s8 *)(data + 28), h = *(__s8 *)(data + 29);
            struct answers r = {};
            __u32 zero = 0;
            r.v[0] = a == b ? c : d;
            r.v[1] = a != b ? c : d;
            r.v[2] = a < b ? a : b;
            r.v[3] = a > b ? a : b;
            r.v[4] = a <= b ? c : e;
            r.v[5] = a >= b ? e : c;
            r.v[6] = sa < sb ? a : b;
            r.v[7] = sa > sb ? c : d;
            r.v[8] = sa <= sb ? e : f;
            r.v[9] = sa >= sb ? f : e;
            r.v[10] = c < d ? c + 7 : d ^ 5;
            r.v[11] = c >= d ? e : f;
            r.v[12] = sc < sd ? c : d;
            r.v[13] = sc >= sd ? a : b;
            r.v[14] = (__u32)(e > f ? e : f);
            r.v[15] = (__u16)(e == f ? c : d);
            r.v[16] = (__s64)(g < h ? g : h);
            r.v[17] = (__u8)(g >= h ? 200 : 17);
            r.v[18] = (c & 0xffff) == 0 ? c >> 16 : c;
            r.v[19] = (a & 0xff) != 0 ? a : a >> 8;
            r.v[20] = c == 0 ? 1 : 2;
            r.v[21] = a == 0 ? b : 0;
            bpf_map_update_elem(&results, &zero, &r, BPF_ANY);
            return XDP_PASS;
        }
        """;

    [Fact]
    public void Lowered_selects_answer_as_the_branches_did_for_every_predicate_and_width()
    {
        var source = ProgramSource.Read(TestEnvironment.WriteC(Comparisons, "select_comparisons"));
        var branches = Toolchain(source, lowered: false);
        var arithmetic = Toolchain(source, lowered: true);
        Assert.True(branches.Selects >= 12, $"the program should have integer selects to lower: {branches.Selects}");
        Assert.Equal(0, arithmetic.Selects);

        using var plain = Load(branches.Elf, "branches.o");
        using var lowered = Load(arithmetic.Elf, "arithmetic.o");
        var random = new Random(7);
        ulong[] special = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
            0x7fffffffffffffff, 0x8000000000000000, ulong.MaxValue, 0x100000000];
        ulong Pick() => random.Next(3) == 0 ? special[random.Next(special.Length)] : (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        for (var i = 0; i < 600; i++)
        {
            var packet = new byte[64];
            random.NextBytes(packet);
            var a = Pick();
            var b = random.Next(4) == 0 ? a : Pick();
            BitConverter.TryWriteBytes(packet.AsSpan(0), a);
            BitConverter.TryWriteBytes(packet.AsSpan(8), b);
            var c = (uint)Pick();
            BitConverter.TryWriteBytes(packet.AsSpan(16), c);
            BitConverter.TryWriteBytes(packet.AsSpan(20), random.Next(4) == 0 ? c : (uint)Pick());
            if (random.Next(4) == 0)
                packet.AsSpan(24, 2).CopyTo(packet.AsSpan(26));
            if (random.Next(4) == 0)
                packet[29] = packet[28];
            Assert.Equal(Answers(plain, packet), Answers(lowered, packet));
        }
    }

    /// <summary>A first-set-bit search (five levels of a shift and a count, each a select on the same test), as a
    /// classifier finds its first matching rule: with branches the verifier walks every combination of the levels for
    /// each of the words before it; without, one path.</summary>
    [Fact]
    public void A_chain_of_selects_no_longer_multiplies_the_verifiers_paths()
    {
        var source = ProgramSource.Read(TestEnvironment.WriteC(Programs.Prelude + """

            struct {
                __uint(type, BPF_MAP_TYPE_ARRAY);
                __uint(max_entries, 1);
                __type(key, __u32);
                __type(value, __u32);
            } first SEC(".maps");

            static __always_inline __u32 lowest(__u64 word)
            {
                __u32 n = 0;
                if (!(word & 0xffffffffULL)) { n += 32; word >>= 32; }
                if (!(word & 0xffffULL)) { n += 16; word >>= 16; }
                if (!(word & 0xffULL)) { n += 8; word >>= 8; }
                if (!(word & 0xfULL)) { n += 4; word >>= 4; }
                if (!(word & 0x3ULL)) { n += 2; word >>= 2; }
                if (!(word & 0x1ULL)) n += 1;
                return n;
            }

            SEC("xdp")
            int first_rule(struct xdp_md *ctx)
            {
                void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                if (data + 32 > end)
                    return XDP_DROP;
                __u32 zero = 0, rule = 256;
                for (__u32 i = 0; i < 4; i++) {
                    __u64 word = *(__u64 *)(data + 8 * i);
                    if (word) {
                        rule = i * 64 + lowest(word);
                        break;
                    }
                }
                bpf_map_update_elem(&first, &zero, &rule, BPF_ANY);
                return rule < 256 ? XDP_PASS : XDP_DROP;
            }
            """, "select_chain"));
        using var plain = Load(Toolchain(source, lowered: false).Elf, "branches.o");
        using var lowered = Load(Toolchain(source, lowered: true).Elf, "arithmetic.o");
        var withBranches = plain.Programs[0].Info().VerifiedInstructions;
        var without = lowered.Programs[0].Info().VerifiedInstructions;
        Assert.True(without * 4 < withBranches, $"verifier processed {withBranches} instructions with branches, {without} without");
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var packet = new byte[40];
            var word = random.Next(5);
            if (word < 4)
                BitConverter.TryWriteBytes(packet.AsSpan(8 * word), 1UL << random.Next(64) | (random.Next(2) == 0 ? 0 : 1UL << 63));
            Assert.Equal(Answers(plain, packet, "first"), Answers(lowered, packet, "first"));
        }
    }

    /// <summary>A select whose result becomes an address (here a packet offset) is left a branch: the verifier bounds
    /// the offset by it. The program loads either way; its select is still there.</summary>
    [Fact]
    public void A_select_that_reaches_an_address_stays_a_branch()
    {
        var source = ProgramSource.Read(TestEnvironment.WriteC(Programs.Prelude + """

            SEC("xdp")
            int offset_by_select(struct xdp_md *ctx)
            {
                unsigned char *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                if (data + 1 > end)
                    return XDP_DROP;
                unsigned char *p = data + (data[0] > 100 ? 40 : 20);
                if (p + 1 > end)
                    return XDP_DROP;
                return *p & 3;
            }
            """, "select_address"));
        var compiled = Toolchain(source, lowered: true);
        Assert.True(compiled.Selects > 0, "the select that makes an offset must stay");
        using var obj = Load(compiled.Elf, "address.o");
        Assert.True(obj.IsLoaded);
    }

    private static (byte[] Elf, int Selects) Toolchain(ProgramSource source, bool lowered)
    {
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        var compiled = BpfCompiler.Compile(module, new CodeGenOptions { BranchFreeSelects = lowered });
        // The module is compiled in place: what is left of its integer selects after the pipeline (and the lowering).
        var selects = module.Functions.Where(f => !f.IsDeclaration).SelectMany(f => f.Blocks).SelectMany(b => b.Instructions)
            .Count(i => i.Opcode == LlvmOpcode.Select && i.Type.Kind == LlvmTypeKind.Integer && i.Type.IntWidth > 1);
        return (compiled.Elf, selects);
    }

    private static string Answers(BpfObject obj, byte[] packet, string map = "results")
    {
        var program = obj.Programs[0];
        var verdict = BpfTestRun.Run(program.Fd, program.Name, packet).ReturnValue;
        return verdict + ":" + Convert.ToHexString(obj.Map(map).Lookup(BitConverter.GetBytes(0u))!);
    }
}
