using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// A frame with the verdict the sample's C program must return for it once the
/// maps hold the control plane it was made for. <paramref name="Reason"/> says
/// which path of the program the frame exercises.
/// </summary>
/// <remarks>
/// The verdict does not depend on the order the known packets run in, nor on
/// how often: state the data plane writes (learning, connection tables) never
/// changes another known packet's verdict. Frames assume ingress on
/// <see cref="SampleCatalog.TestRunIngressIfindex"/>. None is shorter than 14 bytes, because
/// BPF_PROG_TEST_RUN refuses such data with EINVAL before the program runs.
/// </remarks>
public sealed record KnownPacket(string Name, byte[] Frame, XdpAction Expected, string Reason);
