namespace KafkaSync.Engine.Queue;

/// <summary>
/// A broadcast "something changed" for async waiters: each <see cref="Set"/> completes the task
/// every current waiter holds and arms a new one. Waiters re-check their condition after taking
/// the task, so no wake-up is missed and nobody polls.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitTask => Volatile.Read(ref _next).Task;

    public void Set()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
