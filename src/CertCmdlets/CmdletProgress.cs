using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using CertCmdlets.Core;

namespace CertCmdlets
{
    /// <summary>
    /// The cmdlet's end of the core's progress seam (<see cref="ICoreProgress"/>): writes progress records for an
    /// activity once it has run for a second, at most five times a second, and always completes a record it wrote,
    /// also when the work fails. Nothing is written in a session that is not interactive
    /// (<see cref="InteractiveSession"/>), nor from a thread other than the pipeline's.
    /// </summary>
    internal sealed class CmdletProgress : ICoreProgress
    {
        /// <summary>Work shorter than this shows no progress.</summary>
        private static readonly TimeSpan s_threshold = TimeSpan.FromSeconds(1);

        /// <summary>The least time between two records of one activity.</summary>
        private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(200);

        private readonly PSCmdlet _cmdlet;
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
        private readonly Stack<Activity> _open = new Stack<Activity>();
        private bool? _interactive;
        private int _nextActivityId = 1;

        public CmdletProgress(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        public IProgressActivity Begin(string activity, string status)
        {
            if (Environment.CurrentManagedThreadId != _pipelineThread)
            {
                return Silent.Instance;
            }

            _interactive ??= InteractiveSession.IsInteractive(_cmdlet.Host);
            if (_interactive != true)
            {
                return Silent.Instance;
            }

            var started = new Activity(this, _nextActivityId++, _open.Count > 0 ? _open.Peek().Id : -1, activity, status);
            _open.Push(started);
            return started;
        }

        private void Write(ProgressRecord record)
        {
            try
            {
                _cmdlet.WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C: the host clears the progress with the pipeline.
            }
        }

        private void Close(Activity activity)
        {
            if (_open.Count > 0 && ReferenceEquals(_open.Peek(), activity))
            {
                _open.Pop();
            }
        }

        /// <summary>One activity's records.</summary>
        private sealed class Activity : IProgressActivity
        {
            private readonly CmdletProgress _owner;
            private readonly Stopwatch _elapsed = Stopwatch.StartNew();
            private readonly int _parentId;
            private readonly string _activity;
            private TimeSpan _lastWritten;
            private bool _shown;
            private bool _completed;
            private string _status;
            private int _percent = -1;
            private string? _operation;

            public Activity(CmdletProgress owner, int id, int parentId, string activity, string status)
            {
                _owner = owner;
                Id = id;
                _parentId = parentId;
                _activity = NonEmpty(activity);
                _status = NonEmpty(status);
            }

            public int Id { get; }

            public void Update(string status, int percentComplete, string? currentOperation)
            {
                if (_completed || Environment.CurrentManagedThreadId != _owner._pipelineThread)
                {
                    return;
                }

                _status = NonEmpty(status);
                _percent = Math.Max(-1, Math.Min(100, percentComplete));
                _operation = currentOperation;
                TimeSpan now = _elapsed.Elapsed;
                if (now < s_threshold || (_shown && now - _lastWritten < s_interval))
                {
                    return;
                }

                _owner.Write(Record(ProgressRecordType.Processing));
                _shown = true;
                _lastWritten = now;
            }

            public void Dispose()
            {
                if (_completed || Environment.CurrentManagedThreadId != _owner._pipelineThread)
                {
                    return;
                }

                _completed = true;
                _owner.Close(this);
                if (_shown)
                {
                    _owner.Write(Record(ProgressRecordType.Completed));
                }
            }

            private static string NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? "..." : text!;

            private ProgressRecord Record(ProgressRecordType type) => new ProgressRecord(Id, _activity, _status)
            {
                ParentActivityId = _parentId,
                PercentComplete = type == ProgressRecordType.Completed ? 100 : _percent,
                CurrentOperation = _operation,
                RecordType = type,
            };
        }

        /// <summary>The activity of a session that shows no progress.</summary>
        private sealed class Silent : IProgressActivity
        {
            public static readonly Silent Instance = new Silent();

            public void Update(string status, int percentComplete, string? currentOperation)
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
