using System.Text;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>A specialized object carries no DWARF (<see cref="LlvmModule.DropDwarfEmission"/>): the same program and BTF
/// (its line info included), without the <c>.debug_*</c> sections.</summary>
[Trait("Tier", "Kernel")]
public sealed class DwarfDropTests
{
    [Fact]
    public void Without_dwarf_the_program_and_its_btf_are_the_same()
    {
        var source = ProgramSource.Read(TestEnvironment.WriteC(Programs.EtherTypeVerdict, "dwarf_drop"));
        byte[] Build(bool dwarf)
        {
            using var context = LlvmContext.Create();
            using var module = source.Parse(context);
            return BpfCompiler.Compile(module, new CodeGenOptions { Dwarf = dwarf }).Elf;
        }
        var with = Build(dwarf: true);
        var without = Build(dwarf: false);
        bool Has(byte[] elf, string section) => Encoding.ASCII.GetString(elf).Contains(section + "\0", StringComparison.Ordinal);
        Assert.True(Has(with, ".debug_info"));
        Assert.False(Has(without, ".debug_info"));
        Assert.True(Has(without, ".BTF") && Has(without, ".BTF.ext"), "the BTF and its line info stay");
        Assert.True(without.Length < with.Length);

        using var a = Load(with, "with_dwarf.o");
        using var b = Load(without, "without_dwarf.o");
        Assert.Equal(a.Programs[0].Info().Tag, b.Programs[0].Info().Tag);
    }

    [Fact]
    public void A_module_without_a_dwarf_flag_is_left_as_it_is()
    {
        using var context = LlvmContext.Create();
        using var module = ProgramSource.Read(TestEnvironment.WriteC(Programs.EtherTypeVerdict, "dwarf_twice")).Parse(context);
        Assert.True(module.DropDwarfEmission());
        Assert.False(module.DropDwarfEmission());
        Assert.Contains("!\"CodeView\", i32 1}", module.ToString());
        Assert.Null(module.Verify());
    }

    /// <summary>A reaction's build (<see cref="CodeGenOptions.Reaction"/>) drops the source lines: the same code once
    /// loaded, the maps' and functions' BTF kept, a call to a function of the program keeping its location.</summary>
    [Fact]
    public void Without_line_info_the_program_and_its_maps_btf_are_the_same()
    {
        const string source = Programs.Prelude + """
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");
            static __attribute__((noinline)) int classify(struct xdp_md *ctx) { return ctx->data_end - ctx->data > 60 ? XDP_PASS : XDP_DROP; }
            SEC("xdp") int lines(struct xdp_md *ctx)
            {
                __u32 zero = 0;
                __u64 *count = bpf_map_lookup_elem(&seen, &zero);
                if (count)
                    __sync_fetch_and_add(count, 1);
                return classify(ctx);
            }
            """;
        var program = ProgramSource.Read(TestEnvironment.WriteC(source, "line_info_drop"));
        byte[] Build(bool lineInfo)
        {
            using var context = LlvmContext.Create();
            using var module = program.Parse(context);
            var compiled = BpfCompiler.Compile(module, CodeGenOptions.Specialized with { LineInfo = lineInfo });
            Assert.Null(module.Verify());
            if (!lineInfo)
                Assert.DoesNotContain("call void @llvm.dbg.", module.ToString());
            return compiled.Elf;
        }
        var with = Build(lineInfo: true);
        var without = Build(lineInfo: false);
        bool Has(byte[] elf, string section) => Encoding.ASCII.GetString(elf).Contains(section + "\0", StringComparison.Ordinal);
        Assert.True(Has(without, ".BTF") && Has(without, ".BTF.ext"), "the BTF and the functions' info stay");
        Assert.True(without.Length < with.Length, $"{without.Length} bytes without line info, {with.Length} with");

        using var a = Load(with, "with_lines.o");
        using var b = Load(without, "without_lines.o");
        Assert.Equal(a.Programs[0].Info().Tag, b.Programs[0].Info().Tag);
        Assert.NotNull(b.FindMap("seen"));
    }
}
