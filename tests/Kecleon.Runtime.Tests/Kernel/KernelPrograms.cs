using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Execution;
using Kecleon.Tests;

namespace Kecleon.Runtime.Tests.Kernel;

/// <summary>Objects built once per test run: clang's own, and ours.</summary>
internal static class KernelPrograms
{
    private static readonly Lazy<ProgramSource> EtherTypeSource =
        new(() => ProgramSource.Read(TestEnvironment.WriteC(Programs.EtherTypeVerdict, "ethertype")));

    public static byte[] EtherTypeClangObject => EtherTypeSource.Value.BuildBaselineObject();
    public static byte[] EtherTypeKecleonObject => Toolchain.Compile(EtherTypeSource.Value).Elf;

    public static BpfObject Load(byte[] elf, string name = "ethertype.o")
    {
        var obj = BpfObject.Open(elf, name);
        try
        {
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);
}
