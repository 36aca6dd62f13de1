using Kecleon.Bpf;
using Kecleon.Llvm;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Tests.Contracts;
using Xunit;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>
/// The guard ABI's C# view (<see cref="GuardLayout"/>) against the BTF of the objects built from kecleon_guard.h: the
/// hook the guard table loads and the prelude linked into every specialized program. Kernel-free.
/// </summary>
public sealed class GuardContractTests
{
    private static readonly Lazy<Btf> Hook = new(() => Btf.Of(GuardHookProgram.Object));

    /// <summary>The shipped prelude bitcode, compiled on its own to an object for its BTF.</summary>
    private static readonly Lazy<Btf> Prelude = new(() =>
    {
        using var context = LlvmContext.Create();
        using var module = GuardPrelude.Load(context, GuardLayout.Default);
        using var target = LlvmTargetMachine.CreateBpf();
        target.Configure(module);
        return Btf.Of(target.EmitObject(module));
    });

    public static TheoryData<string> Objects => new() { "hook", "prelude" };

    private static Btf Of(string name) => name == "hook" ? Hook.Value : Prelude.Value;

    [Theory]
    [MemberData(nameof(Objects))]
    public void The_versions_struct_is_the_layouts(string name)
    {
        var btf = Of(name);
        var versions = btf.StructNamed(GuardLayout.VersionsStruct);
        Assert.Equal(GuardLayout.Default.VersionsBytes, versions.Size);
        var version = Assert.Single(versions.Members);
        Assert.Equal(0, version.Offset);
        var array = btf.ArrayAt(version.TypeId);
        Assert.Equal(GuardLayout.SlotCount, array.Length);
        Assert.Equal(GuardLayout.VersionBytes, array.ElementSize);
        Assert.Equal(GuardLayout.VersionOffset(1), array.ElementSize);
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void The_guards_map_is_one_element_of_versions(string name)
    {
        var btf = Of(name);
        var map = btf.Map(GuardLayout.GuardsMapName);
        Assert.Equal((int)BpfMapType.Array, map.Type);
        Assert.Equal(1, map.MaxEntries);
        Assert.Equal(4, btf.SizeOf(map.KeyTypeId));
        Assert.Equal(GuardLayout.VersionsStruct, btf.NameOf(map.ValueTypeId));
    }

    [Fact]
    public void The_hook_has_a_slot_registry_the_size_of_the_table_and_the_programs_the_table_attaches()
    {
        var btf = Hook.Value;
        var slots = btf.Map(GuardLayout.SlotsMapName);
        Assert.Equal(GuardLayout.SlotCount, slots.MaxEntries);
        Assert.Equal((4, 4), (btf.SizeOf(slots.KeyTypeId), btf.SizeOf(slots.ValueTypeId)));
        var loaders = btf.Map(GuardLayout.LoadersMapName);
        Assert.Equal((4, 8), (btf.SizeOf(loaders.KeyTypeId), btf.SizeOf(loaders.ValueTypeId)));
        Assert.Equal(GuardTable.SlotCount, GuardLayout.SlotCount);
        foreach (var program in new[] { GuardHookProgram.EnterProgram, GuardHookProgram.ExitProgram, GuardHookProgram.CompatEnterProgram, GuardHookProgram.CompatExitProgram })
            Assert.Contains(program, btf.Functions);
    }

    [Fact]
    public void The_prelude_has_the_fallback_slots_and_the_functions_the_passes_call()
    {
        var btf = Prelude.Value;
        var fallback = btf.Map(GuardLayout.FallbackMapName);
        Assert.Equal((int)BpfMapType.ProgArray, fallback.Type);
        Assert.Equal(GuardLayout.FallbackSlotCount, fallback.MaxEntries);
        foreach (var function in new[] { GuardPrelude.HoldsFunction, GuardPrelude.TableFunction, GuardPrelude.HoldsInFunction, GuardPrelude.FallBackFunction,
                     GuardPrelude.BumpFunction, GuardPrelude.WrittenFunction })
            Assert.Contains(function, btf.Functions);
    }

    /// <summary>A live specialized program reuses the hook's ring of wake-ups: libbpf reuses a map only when its type and
    /// size are the same in both.</summary>
    [Theory]
    [MemberData(nameof(Objects))]
    public void The_ring_of_wake_ups_is_the_same_in_both(string name)
    {
        var map = Of(name).Map(GuardLayout.EventsMapName);
        Assert.Equal((int)BpfMapType.RingBuf, map.Type);
        Assert.Equal(Hook.Value.Map(GuardLayout.EventsMapName).MaxEntries, map.MaxEntries);
        Assert.Equal(16384, map.MaxEntries);
    }

    [Fact]
    public void The_declaration_for_programs_of_ones_own_is_the_header()
    {
        Assert.Contains($"struct {GuardLayout.VersionsStruct} {{", GuardTable.GuardsMapDeclaration);
        Assert.Contains($"#define KECLEON_GUARD_SLOTS {GuardLayout.SlotCount}\n", GuardTable.GuardsMapDeclaration);
        Assert.Contains($"}} {GuardLayout.GuardsMapName} SEC(\".maps\");", GuardTable.GuardsMapDeclaration);
    }
}
