namespace Kecleon.Instrumentation.Profiling;

/// <summary>
/// The records an instrumented program writes and the profiler reads, as <c>src/BpfC/include/kecleon_prof.h</c> lays
/// them out: the one C# view of the profile ring. <c>ProfileContractTests</c> check every offset and size here against
/// the BTF of an instrumented object.
/// </summary>
public static class ProfileRecordLayout
{
    /// <summary>Every CPU's value of a per-CPU map is this aligned (the kernel rounds the value size up to 8).</summary>
    public const int PerCpuAlignment = 8;

    /// <summary>The stride of one CPU's value of <paramref name="valueSize"/> bytes in a per-CPU lookup's result.</summary>
    public static int PerCpuStride(int valueSize) => (valueSize + PerCpuAlignment - 1) & ~(PerCpuAlignment - 1);

    /// <summary><c>struct kecleon_prof_cpu</c>: the value of <see cref="InstrumentationLayout.StateMap"/>.</summary>
    public static class Cpu
    {
        public const string Struct = "kecleon_prof_cpu";
        /// <summary><c>packets</c>: packets seen on this CPU in sampled ticks.</summary>
        public const int Packets = 0;
        /// <summary><c>head</c>: samples written to this CPU's ring.</summary>
        public const int Head = 8;
        public const int Size = 16;
    }

    /// <summary><c>struct kecleon_prof_sample</c>: a slot of <see cref="InstrumentationLayout.RingMap"/>'s per-CPU ring.</summary>
    public static class Sample
    {
        public const string Struct = "kecleon_prof_sample";
        /// <summary><c>seq</c>: the CPU's head + 1 when written; 0 is an empty slot.</summary>
        public const int Seq = 0;
        /// <summary><c>site</c>: the lookup's <c>HelperCallSite.Index</c>.</summary>
        public const int Site = 8;
        /// <summary><c>length</c>: the key's bytes recorded.</summary>
        public const int Length = 12;
        /// <summary><c>key[KECLEON_KEY_BYTES]</c>.</summary>
        public const int Key = 16;

        /// <summary>A sample's size with <paramref name="keyBytes"/> of key (a multiple of 8, so also its stride in the ring).</summary>
        public static int Size(int keyBytes) => Key + keyBytes;
    }

    /// <summary><c>struct kecleon_prof_counters</c>: an element of <see cref="InstrumentationLayout.BranchMap"/>.</summary>
    public static class Counters
    {
        public const string Struct = "kecleon_prof_counters";
        /// <summary><c>count[KECLEON_SLOT_COUNTERS]</c>: u64 counters from offset 0.</summary>
        public const int Count = 0;
        public const int CounterBytes = 8;
    }

    /// <summary><c>struct kecleon_prof_packet</c>: an element of <see cref="InstrumentationLayout.PacketMap"/>.</summary>
    public static class Packet
    {
        public const string Struct = "kecleon_prof_packet";
        /// <summary><c>seq</c>: the packet's number on its CPU; 0 is an empty slot.</summary>
        public const int Seq = 0;
        /// <summary><c>length</c>: the bytes kept.</summary>
        public const int Length = 8;
        /// <summary><c>full</c>: the packet's length as the program saw it.</summary>
        public const int Full = 12;
        /// <summary><c>bytes[KECLEON_PACKET_BYTES]</c>.</summary>
        public const int Bytes = 16;
        /// <summary><c>KECLEON_PACKET_BYTES</c>: only packets shorter than this are kept.</summary>
        public const int MaxBytes = 256;
        /// <summary><c>KECLEON_PACKET_MIN_BYTES</c>: nor packets shorter than an Ethernet header.</summary>
        public const int MinBytes = 14;
        public const int Size = Bytes + MaxBytes;
    }
}
