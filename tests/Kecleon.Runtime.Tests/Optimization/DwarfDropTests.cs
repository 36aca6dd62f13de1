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
}
