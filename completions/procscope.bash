# bash completion for procscope                              -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause

_procscope()
{
    local cur prev words cword
    _init_completion || return

    local trace_opts="--json --output --append --rotate-size --rotate-keep --output-socket
        --metrics --metrics-interval --bundle --force --quiet --timeline --color --full
        --summary --pid --all --gc-period --user --timeout --events --path --list-events --failed --succeeded
        --rules --no-default-rules --env --redact --no-redact --max-args --max-arg-len
        --args-bytes --buffer-size --max-procs --follow-forks --verbose --version --help
        -o -q -c -p -e -f -v -V -h"
    local i cmd=""

    # After --, the rest is the traced command: complete it as a command line.
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _command_offset $((i + 1))
            return
        fi
    done
    [[ $cword -gt 1 ]] && cmd=${words[1]}

    case $cmd in
        doctor)
            COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
            return ;;
        verify)
            [[ $prev == --expect ]] && return
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--expect --help" -- "$cur"))
            else
                _filedir -d
            fi
            return ;;
        report)
            case $prev in
                --format) COMPREPLY=($(compgen -W "md html text" -- "$cur")); return ;;
                -o|--output) _filedir -d; return ;;
            esac
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--format --output --force --help" -- "$cur"))
            else
                _filedir
            fi
            return ;;
        rules)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "check list" -- "$cur"))
            elif [[ ${words[2]} == list ]]; then
                COMPREPLY=($(compgen -W "--hooks" -- "$cur"))
            else
                _filedir '@(yaml|yml)'
            fi
            return ;;
    esac

    case $prev in
        -o|--output|--bundle|--metrics|--timeline|--rules|--output-socket)
            _filedir; return ;;
        --path)
            _filedir -d; return ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        -p|--pid)
            _pids; return ;;
        --user)
            COMPREPLY=($(compgen -u -- "$cur")); return ;;
        -e|--events)
            # Every class, type and syscall --list-events prints, after any comma;
            # the procscope on PATH, never whatever binary the line names.
            local names pre=""
            names=$(command procscope --list-events 2>/dev/null |
                awk 'NR > 2 { for (i = 1; i <= NF; i++) if ($i !~ /^\(/) print $i }')
            [[ $cur == *,* ]] && pre=${cur%,*},
            COMPREPLY=($(compgen -P "$pre" -W "$names" -- "${cur##*,}"))
            return ;;
        --rotate-size|--rotate-keep|--metrics-interval|--timeout|--gc-period|--redact|--max-args|\
        --max-arg-len|--args-bytes|--buffer-size|--max-procs)
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$trace_opts" -- "$cur"))
    elif [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "doctor verify report rules --" -- "$cur"))
    fi
} &&
    complete -F _procscope procscope
