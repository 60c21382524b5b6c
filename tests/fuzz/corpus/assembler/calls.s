.rodata msg "denied"
.func main action
    mov64 r6, 3
    lddw r1, msg
    mov64 r2, 6
    jeq r6, 0, fail
    call helper
    stxdw [r10-8], r0
    ldxdw r0, [r10-8]
    exit
fail:
    syscall vm.abort
    exit
.func helper view
    mov64 r0, r1
    mul64 r0, 7
    be32 r0
    exit
