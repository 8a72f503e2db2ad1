using TorchSharp;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// One place that brings up libtorch. Intra-op threads default to 1: with 2 OpenMP threads training ran 2–4×
/// slower on the 2-core build machine whenever anything else ran. EDGESKYRMION_TORCH_THREADS overrides it.
/// </summary>
public static class TorchRuntime
{
    public const string ThreadsVariable = "EDGESKYRMION_TORCH_THREADS";
    private static readonly Lock Gate = new();

    // libtorch has one default generator per process: two seeded runs in one process (tests in parallel, a host
    // running jobs side by side) would interleave their draws and neither would repeat.
    private static readonly Lock Generator = new();
    private static bool _initialized;

    public static int Threads { get; private set; } = 1;

    /// <summary>Loads libtorch and sets the thread count; throws with a hint when the native library is missing.</summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            int wanted = threads ?? ThreadsFromEnvironment();
            if (wanted < 1) throw new ArgumentOutOfRangeException(nameof(threads), wanted, "torch threads must be at least 1.");
            try
            {
                torch.set_num_threads(wanted);
            }
            catch (TypeInitializationException e)
            {
                throw new InvalidOperationException(
                    "TorchSharp's native library did not load. Build through the solution (the build marks libLibTorchSharp.so's " +
                    "GLIBCXX_3.4.32 requirement weak, see docs/torchsharp-debian12.md). " + (e.InnerException?.Message.Split('\n')[0] ?? e.Message), e);
            }
            Threads = wanted;
            _initialized = true;
        }
    }

    public static (bool Loads, string? Error) TryInitialize()
    {
        try
        {
            Initialize();
            return (true, null);
        }
        catch (InvalidOperationException e)
        {
            return (false, e.Message);
        }
    }

    public static bool IsInitialized => _initialized;

    /// <summary>
    /// Loads libtorch, seeds its default generator and holds it for the caller until the scope is disposed: a
    /// seeded run holds it from seeding to its last draw.
    /// </summary>
    public static Lock.Scope Seeded(long seed)
    {
        Initialize();
        Lock.Scope held = Generator.EnterScope();
        torch.manual_seed(seed);
        return held;
    }

    private static int ThreadsFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (string.IsNullOrWhiteSpace(value)) return 1;
        return int.TryParse(value, out int n) && n >= 1
            ? n
            : throw new ArgumentException($"{ThreadsVariable}={value} is not a positive integer.");
    }
}
