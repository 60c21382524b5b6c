    ldxb r2, [r1+0]
    lddw r3, 0x300000000
loop:
    stxb [r3+0], r2
    add64 r3, 1
    sub32 r2, 1
    jsgt r2, 0, loop
    sdiv64 r2, r1
    smod32 r2, -3
    movsx864 r0, r2
    gotol +0
    exit
